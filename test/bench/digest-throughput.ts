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
 * - IMAP bytes: one extra, untimed digest run and one mbsync run go through a loopback proxy
 *   that counts the bytes the server sent (`imapBytes`, `mbsyncBytes`: the whole mailbox).
 * - Maildir: the 6,046 corpus messages in a Maildir on tmpfs, read by the digest's Maildir
 *   source in a fresh child per round (`maildirWallMs` is the whole child, start-up included).
 * - 40,000 messages: the ham corpus repeated with fresh Message-IDs and Date headers (and
 *   INTERNALDATEs) spread over two years; a first run with `--since 7d` (fetched, bytes through
 *   the proxy, wall, RSS), then a run with no new mail on the checkpoint it stored, and a full
 *   run of all 40,000 (`big.fullPeakRssMB` against the 4,150-message run's peak).
 * - `BENCH_BIG=0` skips the 40,000-message part. The load average is printed with the figures.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { collect } from '@jobs/digest/collect';
import { createDigestImapSource } from '@jobs/digest/source/imap';
import { createMaildirSource } from '@jobs/digest/source/maildir';
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
const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const root = spamAssassinDataDir();
const files = (JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8')) as string[]).filter((f) => /^(easy-ham-1|easy-ham-2|hard-ham-1)\//.test(f));
await using imap = await startDovecot();
await imap.createMailbox('Ham');
await imap.deliver('Ham', files.map((f) => readFileSync(join(root, f))));
const work = mkdtempSync(join(tmpdir(), 'digest-bench-'));
const shm = mkdtempSync(join('/dev/shm', 'digest-bench-'));

/** A loopback proxy to dovecot counting the bytes the server sends (reset by the caller). */
const proxy = { down: 0, port: 0 };
const proxyServer = createServer((client) => {
  const server = connect(imap.port, imap.host);
  server.on('data', (d: Buffer) => {
    proxy.down += d.length;
  });
  client.pipe(server).pipe(client);
  const end = () => {
    client.destroy();
    server.destroy();
  };
  client.on('error', end);
  server.on('error', end);
  client.on('close', end);
  server.on('close', end);
});
await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
proxy.port = (proxyServer.address() as AddressInfo).port;

async function mbsync(base: string, port = imap.port, mailbox = 'Ham'): Promise<number> {
  const dir = join(base, 'mbsync');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const rc = join(base, 'mbsyncrc');
  writeFileSync(
    rc,
    [
      'IMAPAccount bench', `Host ${imap.host}`, `Port ${port}`, `User ${imap.user}`, `Pass ${imap.password}`, 'SSLType None', 'AuthMechs LOGIN', '',
      'IMAPStore remote', 'Account bench', '',
      'MaildirStore local', `Path ${dir}/`, `Inbox ${dir}/INBOX`, '',
      'Channel ham', `Far :remote:${mailbox}`, 'Near :local:Ham', 'Create Near', 'Sync Pull', 'SyncState *', '',
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

interface ChildRun {
  readonly baseline?: boolean;
  /** Read this Maildir instead of IMAP. */
  readonly maildir?: string;
  readonly port?: number;
  readonly mailbox?: string;
  readonly stateDir?: string;
  readonly sinceDays?: number;
  /** Store the checkpoint after the pass (for a second run on it). */
  readonly commit?: boolean;
}

async function digest(run: ChildRun | boolean = {}): Promise<{ out: Record<string, number>; wallMs: number; treePeakMB: number }> {
  const o: ChildRun = typeof run === 'boolean' ? { baseline: run } : run;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--child', ...(o.baseline ? ['--baseline'] : [])], {
    env: {
      ...process.env,
      BENCH_IMAP: JSON.stringify({
        host: imap.host,
        port: o.port ?? imap.port,
        user: imap.user,
        password: imap.password,
        stateDir: o.stateDir ?? mkdtempSync(join(work, 'state-')),
        mailbox: o.mailbox ?? 'Ham',
        maildir: o.maildir,
        sinceDays: o.sinceDays,
        commit: o.commit === true,
      }),
    },
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

// bytes: one untimed digest run and one mbsync copy through the counting proxy
proxy.down = 0;
const proxied = await digest({ port: proxy.port });
const imapBytes = proxy.down;
proxy.down = 0;
await mbsync(shm, proxy.port);
const mbsyncBytes = proxy.down;

// the Maildir source over all 6,046 corpus messages, on tmpfs
const allFiles = JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8')) as string[];
const maildir = join(shm, 'corpus');
for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
for (const [i, f] of allFiles.entries()) writeFileSync(join(maildir, 'new', `${1_700_000_000 + i}.M${i}P1.bench`), readFileSync(join(root, f)));
const md: number[] = [];
const mdWall: number[] = [];
const mdRss: number[] = [];
let mdLast: Record<string, number> = {};
for (let i = 0; i < rounds; i++) {
  const r = await digest({ maildir });
  md.push(r.out.digestMs!);
  mdWall.push(r.wallMs);
  mdRss.push(r.out.peakRssMB!);
  mdLast = r.out;
}

const big = process.env.BENCH_BIG === '0' ? null : await bigMailbox();
const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
console.log(
  JSON.stringify({
    bench: 'digest-throughput',
    loadAverage: { before: loadBefore, after: loadAfter },
    rounds,
    imapBytes,
    mbsyncBytes,
    imapBytesShare: Number((imapBytes / mbsyncBytes).toFixed(3)),
    proxiedThreads: proxied.out.threads,
    maildirMessages: mdLast.messages,
    maildirThreads: mdLast.threads,
    maildirMs: stats(md),
    maildirWallMs: stats(mdWall),
    maildirPeakRssMB: stats(mdRss),
    big,
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
proxyServer.close();
await rm(work, { recursive: true, force: true });
await rm(shm, { recursive: true, force: true });

/** The 40,000-message mailbox (see the module comment). */
async function bigMailbox(): Promise<Record<string, unknown>> {
  const total = 40_000;
  const now = Date.now();
  const span = 730 * 24 * 3600 * 1000;
  const ham = files.map((f) => readFileSync(join(root, f), 'latin1'));
  await imap.createMailbox('Big');
  for (let start = 0; start < total; start += 2000) {
    const batch = [];
    for (let i = start; i < Math.min(total, start + 2000); i++) {
      const at = new Date(now - span + Math.floor((span * (i + 1)) / total) - 60_000);
      const raw = ham[i % ham.length]!.replace(/^Message-ID:[^\n]*(\n[ \t][^\n]*)*\n/im, '').replace(/^Date:[^\n]*(\n[ \t][^\n]*)*\n/im, '');
      batch.push({ raw: Buffer.from(`Message-ID: <bench-${i}@big.invalid>\nDate: ${at.toUTCString()}\n${raw}`, 'latin1'), internalDate: at });
    }
    await imap.deliver('Big', batch);
  }
  const state = mkdtempSync(join(work, 'big-'));
  proxy.down = 0;
  const week = await digest({ port: proxy.port, mailbox: 'Big', stateDir: state, sinceDays: 7, commit: true });
  const weekBytes = proxy.down;
  const again = await digest({ mailbox: 'Big', stateDir: state });
  const full = await digest({ mailbox: 'Big' });
  return {
    messages: total,
    since7dFetched: week.out.messages,
    since7dBytes: weekBytes,
    since7dMs: week.out.digestMs,
    since7dWallMs: Math.round(week.wallMs),
    since7dPeakRssMB: week.out.peakRssMB,
    noNewMailFetched: again.out.messages,
    noNewMailMs: again.out.digestMs,
    noNewMailWallMs: Math.round(again.wallMs),
    fullMessages: full.out.messages,
    fullMs: full.out.digestMs,
    fullPeakRssMB: full.out.peakRssMB,
    fullPeakRssVs4150MB: full.out.peakRssMB! - median(rss),
  };
}

/** Child mode: fetch + parse + thread (or, as the baseline, nothing), then its figures as one JSON line. */
async function digestChild(baseline: boolean): Promise<void> {
  if (baseline) {
    console.log(JSON.stringify({ peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
    return;
  }
  const o = JSON.parse(process.env.BENCH_IMAP ?? '{}');
  const pool = process.env.BENCH_POOL === undefined ? {} : { pool: { size: Number(process.env.BENCH_POOL) } };
  const d0 = performance.now();
  const source = o.maildir
    ? createMaildirSource({ path: o.maildir, stateDir: o.stateDir, ...pool })
    : createDigestImapSource({
        stateDir: o.stateDir,
        imap: { host: o.host, port: o.port, secure: false, requireStartTls: false, user: o.user, password: o.password, mailbox: o.mailbox },
        ...pool,
      });
  const since = o.sinceDays === undefined ? undefined : new Date(Date.now() - o.sinceDays * 24 * 3600 * 1000);
  const pass = await source.open({ since, classify: { ownAddresses: [], maxMessageChars: 1500 } });
  const collected = await collect(pass, { logger: noopLogger });
  const threads = buildThreads(collected.messages);
  if (o.commit) await pass.commit();
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
