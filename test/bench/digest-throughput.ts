/**
 * Benchmark: fetch + parse + thread of the 4,150-message SpamAssassin ham corpus from a local
 * dovecot through the digest's IMAP source, against mbsync (isync) copying the same mailbox to a
 * Maildir, and the digest's peak RSS. Prints one JSON line.
 *
 *   node --import tsx test/bench/digest-throughput.ts          # BENCH_ROUNDS=5 by default
 *
 * How it is measured, so the comparison is fair and stable:
 * - One dovecot, one mailbox, loaded once. An untimed mbsync pass first builds dovecot's index
 *   and cache, so every timed run (both tools) reads a warm index.
 * - Each round runs mbsync and the digest once each, alternating which goes first; the figures
 *   are medians over the rounds (min and max are printed too).
 * - mbsync: the wall time of `mbsync -q` (its start-up is a few ms) into a fresh Maildir on the
 *   default temp dir (disk), with its defaults (FSync on): "mbsync copying the mailbox", as the
 *   issue states it. The same copy onto tmpfs is printed too (`mbsyncTmpfsMs`): without disk
 *   writes mbsync is far faster, and the ratio against it is printed so nobody is misled.
 * - Digest: a fresh child process per round; `digestMs` runs from opening the source (parse
 *   workers start, IMAP login, fetch plan) to the threads built, i.e. fetch + parse + thread;
 *   `digestWallMs` is the whole child, Node and tsx start-up included.
 * - Peak RSS: the child's own high-water mark (getrusage maxRSS, which covers all its threads,
 *   parse workers included), and the sampled RSS of its whole process tree (every 20 ms from
 *   /proc). `baselineRssMB`: the same child that only loads its modules and exits, i.e. what
 *   Node + the tsx loader + the code cost before any mail.
 * - `BENCH_POOL=<n>` runs the digest with n parse workers (0 = in-process).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { collect } from '@jobs/digest/collect';
import { createDigestImapSource } from '@jobs/digest/source/imap';
import { buildThreads } from '@jobs/digest/threads';
import { noopLogger } from '@jobs/core/logger';
import { startDovecot } from '@jobs/testkit/dovecot';
import { spamAssassinDataDir } from '@jobs/testkit/spam-assassin';

const run = promisify(execFile);
const self = new URL(import.meta.url).pathname;

if (process.argv.includes('--child')) {
  await digestChild(process.argv.includes('--baseline'));
  process.exit(0);
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const root = spamAssassinDataDir();
const files = (JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8')) as string[]).filter((f) => /^(easy-ham-1|easy-ham-2|hard-ham-1)\//.test(f));
await using imap = await startDovecot();
await imap.createMailbox('Ham');
await imap.deliver('Ham', files.map((f) => readFileSync(join(root, f))));
const work = mkdtempSync(join(tmpdir(), 'digest-bench-'));
const shm = mkdtempSync(join('/dev/shm', 'digest-bench-'));

async function mbsync(base: string): Promise<number> {
  const dir = join(base, 'mbsync');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const rc = join(base, 'mbsyncrc');
  writeFileSync(
    rc,
    [
      'IMAPAccount bench', `Host ${imap.host}`, `Port ${imap.port}`, `User ${imap.user}`, `Pass ${imap.password}`, 'SSLType None', 'AuthMechs LOGIN', '',
      'IMAPStore remote', 'Account bench', '',
      'MaildirStore local', `Path ${dir}/`, `Inbox ${dir}/INBOX`, '',
      'Channel ham', 'Far :remote:Ham', 'Near :local:Ham', 'Create Near', 'Sync Pull', 'SyncState *', '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const t0 = performance.now();
  await run('mbsync', ['-c', rc, '-q', 'ham'], { maxBuffer: 1 << 24 });
  return performance.now() - t0;
}

/** RSS of `pid` and all its descendants, in bytes (0 once gone). */
function treeRss(pid: number): number {
  let total = 0;
  try {
    total = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) total += treeRss(Number(child));
    }
  } catch {
    // the process ended between two reads
  }
  return total;
}

async function digest(baseline = false): Promise<{ out: Record<string, number>; wallMs: number; treePeakMB: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--child', ...(baseline ? ['--baseline'] : [])], {
    env: { ...process.env, BENCH_IMAP: JSON.stringify({ host: imap.host, port: imap.port, user: imap.user, password: imap.password, stateDir: mkdtempSync(join(work, 'state-')) }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid) peak = Math.max(peak, treeRss(child.pid));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`digest child exited ${code}`);
  return { out: JSON.parse(stdout.trim().split('\n').pop()!), wallMs: performance.now() - t0, treePeakMB: Math.round(peak / 1048576) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const stats = (xs: number[]) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)) });

await mbsync(shm); // warm-up: dovecot builds its index and cache for the mailbox
const base = await digest(true);
const m: number[] = [];
const mShm: number[] = [];
const d: number[] = [];
const dWall: number[] = [];
const rss: number[] = [];
const tree: number[] = [];
let last: Record<string, number> = {};
for (let i = 0; i < rounds; i++) {
  const one = async () => {
    const r = await digest();
    d.push(r.out.digestMs!);
    dWall.push(r.wallMs);
    rss.push(r.out.peakRssMB!);
    tree.push(r.treePeakMB);
    last = r.out;
  };
  if (i % 2 === 0) {
    m.push(await mbsync(work));
    await one();
  } else {
    await one();
    m.push(await mbsync(work));
  }
  mShm.push(await mbsync(shm));
}
const ratio = (a: number[], b: number[]) => Number((median(a) / median(b)).toFixed(2));
console.log(
  JSON.stringify({
    bench: 'digest-throughput',
    rounds,
    messages: last.messages,
    quarantined: last.quarantined,
    threads: last.threads,
    parseWorkers: last.workers,
    digestMs: stats(d),
    digestWallMs: stats(dWall),
    mbsyncMs: stats(m),
    mbsyncTmpfsMs: stats(mShm),
    messagesPerSecond: Math.round((last.messages ?? 0) / (median(d) / 1000)),
    ratioDigestToMbsync: ratio(d, m),
    ratioDigestWallToMbsync: ratio(dWall, m),
    ratioDigestToMbsyncTmpfs: ratio(d, mShm),
    peakRssMB: stats(rss),
    peakTreeRssMB: stats(tree),
    baselineRssMB: base.out.peakRssMB,
    baselineTreeRssMB: base.treePeakMB,
  }),
);
await rm(work, { recursive: true, force: true });
await rm(shm, { recursive: true, force: true });

/** Child mode: fetch + parse + thread (or, as the baseline, nothing), then its figures as one JSON line. */
async function digestChild(baseline: boolean): Promise<void> {
  if (baseline) {
    console.log(JSON.stringify({ peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
    return;
  }
  const o = JSON.parse(process.env.BENCH_IMAP ?? '{}');
  const pool = process.env.BENCH_POOL === undefined ? {} : { pool: { size: Number(process.env.BENCH_POOL) } };
  const d0 = performance.now();
  const source = createDigestImapSource({
    stateDir: o.stateDir,
    imap: { host: o.host, port: o.port, secure: false, requireStartTls: false, user: o.user, password: o.password, mailbox: 'Ham' },
    ...pool,
  });
  const pass = await source.open({ classify: { ownAddresses: [], maxMessageChars: 1500 } });
  const collected = await collect(pass, { logger: noopLogger });
  const threads = buildThreads(collected.messages);
  await pass.close();
  const digestMs = performance.now() - d0;
  console.log(
    JSON.stringify({
      messages: collected.read,
      quarantined: collected.quarantined.length,
      threads: threads.length,
      workers: process.env.BENCH_POOL === undefined ? -1 : Number(process.env.BENCH_POOL),
      digestMs: Math.round(digestMs),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
