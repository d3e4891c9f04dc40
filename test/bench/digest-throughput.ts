/**
 * Benchmark: fetch + parse + thread of the 4,150-message SpamAssassin ham corpus from a local
 * dovecot through the digest's IMAP source, against mbsync (isync) copying the same mailbox to a
 * Maildir, in one run; messages/s and peak RSS of this process (the digest side runs in-process;
 * mbsync is a child, measured apart). Prints one JSON line.
 *
 *   node --import tsx test/bench/digest-throughput.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFileSync, writeFile } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { collect } from '@jobs/digest/collect';
import { spamAssassinDataDir } from '@jobs/testkit/spam-assassin';
import { noopLogger } from '@jobs/credentials/logger';
import { createDigestImapSource } from '@jobs/digest/source/imap';
import { buildThreads } from '@jobs/digest/threads';
import { startDovecot } from '@jobs/testkit/dovecot';

const run = promisify(execFile);
const mkdtempP = promisify(mkdtemp);
const writeFileP = promisify(writeFile);

const root = spamAssassinDataDir();
const files = (JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8')) as string[]).filter((f) => /^(easy-ham-1|easy-ham-2|hard-ham-1)\//.test(f));

if (process.argv.includes('--child')) {
  await digestChild();
  process.exit(0);
}
const sampler = setInterval(() => {}, 1000);

await using imap = await startDovecot();
await imap.createMailbox('Ham');
await imap.deliver('Ham', files.map((f) => readFileSync(join(root, f))));
const work = await mkdtempP(join(tmpdir(), 'digest-bench-'));

// mbsync: same mailbox to a fresh Maildir.
const maildir = join(work, 'mbsync');
await mkdir(maildir, { recursive: true });
const rc = join(work, 'mbsyncrc');
await writeFileP(
  rc,
  [
    'IMAPAccount bench', `Host ${imap.host}`, `Port ${imap.port}`, `User ${imap.user}`, `Pass ${imap.password}`, 'SSLType None', 'AuthMechs LOGIN', '',
    'IMAPStore remote', 'Account bench', '',
    'MaildirStore local', `Path ${maildir}/`, `Inbox ${maildir}/INBOX`, '',
    'Channel ham', 'Far :remote:Ham', 'Near :local:Ham', 'Create Near', 'Sync Pull', 'SyncState *', '',
  ].join('\n'),
  { mode: 0o600 },
);
const m0 = performance.now();
await run('mbsync', ['-c', rc, '-q', 'ham'], { maxBuffer: 1 << 24 });
const mbsyncMs = performance.now() - m0;

// The digest side in its own process, so its peak RSS is its own (not the corpus loaded above).
const child = await run(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child'], {
  env: { ...process.env, BENCH_IMAP: JSON.stringify({ host: imap.host, port: imap.port, user: imap.user, password: imap.password, stateDir: work }) },
  maxBuffer: 1 << 24,
});
clearInterval(sampler);
const d = JSON.parse(child.stdout.trim().split('\n').pop()!);
console.log(
  JSON.stringify({
    bench: 'digest-throughput',
    ...d,
    messagesPerSecond: Math.round(d.messages / (d.digestMs / 1000)),
    mbsyncMs: Math.round(mbsyncMs),
    ratioDigestToMbsync: Number((d.digestMs / mbsyncMs).toFixed(2)),
  }),
);
await rm(work, { recursive: true, force: true });

/** Child mode: fetch + parse + thread, then its own figures as one JSON line. */
async function digestChild(): Promise<void> {
  const o = JSON.parse(process.env.BENCH_IMAP ?? '{}');
  const d0 = performance.now();
  const source = createDigestImapSource({
    stateDir: o.stateDir,
    imap: { host: o.host, port: o.port, secure: false, requireStartTls: false, user: o.user, password: o.password, mailbox: 'Ham' },
  });
  const pass = await source.open({});
  const collected = await collect(pass, { ownAddresses: [], maxMessageChars: 4000, logger: noopLogger });
  const threads = buildThreads(collected.messages);
  await pass.close();
  const digestMs = performance.now() - d0;
  console.log(
    JSON.stringify({
      messages: collected.read,
      quarantined: collected.quarantined.length,
      threads: threads.length,
      digestMs: Math.round(digestMs),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
