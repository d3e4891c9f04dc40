// Covers whole digest runs (main() in-process, --dry-run, extractive) on 1,000 malformed or mutated
// messages generated from a seed (test/support/fuzz.ts) in a temp Maildir, and 150 of them in
// dovecot over IMAP through the parse worker pool: the run completes (no crash, no hang, exit 0),
// and every message that fails to parse is quarantined and reported: in the log, in the --json
// run report (count and list), in the digest, in the summary line. A failure names the seed;
// replay with DIGEST_FUZZ_SEED=<seed>.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Dovecot, startDovecot } from './support/dovecot.ts';
import { imapKeys, runMain, workDir } from './support/env.ts';
import { fuzzMessages } from './support/fuzz.ts';
import { parseForDigest } from '../src/parse/item.ts';
import { summaryLine } from '../src/report.ts';
import { DEFAULT_CLASSIFY } from '../src/source/types.ts';

const SEED = Number(process.env.DIGEST_FUZZ_SEED ?? 20261123) >>> 0;
const CASES = 1000;
const IMAP_CASES = 150;
console.info(`digest fuzz seed ${SEED} (replay: DIGEST_FUZZ_SEED=${SEED})`);

interface Quarantine {
  readonly id: string;
  readonly code: string;
  readonly reason: string;
}

/** The `message quarantined` log lines of a run's stderr. */
function loggedQuarantines(stderr: string): Quarantine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; id?: string; code?: string; reason?: string })
    .filter((l) => l.msg === 'message quarantined')
    .map((l) => ({ id: String(l.id), code: String(l.code), reason: String(l.reason) }));
}

/** What every run must show about its quarantined messages; `expected` is the oracle's list of ids. */
async function expectReported(r: { code: number; stdout: string; stderr: string }, expected: readonly string[], where: string, atLeast: number) {
  expect(r.code, `${where}: exit code; stderr: ${r.stderr.slice(-2000)}`).toBe(0);
  const report = JSON.parse(r.stdout);
  const ids = [...expected].sort();
  expect(ids.length, `${where}: the generator must produce unparseable messages`).toBeGreaterThanOrEqual(atLeast);
  // the run report: the count and the full list
  expect(report.quarantined, where).toBe(ids.length);
  expect((report.unreadable as Quarantine[]).map((q) => q.id).sort(), where).toEqual(ids);
  for (const q of report.unreadable as Quarantine[]) {
    expect(q.code, where).toMatch(/^E[A-Z]+$/);
    expect(q.reason, where).not.toBe('');
  }
  // the log: one line per quarantined message
  expect(loggedQuarantines(r.stderr).map((q) => q.id).sort(), where).toEqual(ids);
  // the summary line (from the report's typed names; --json prints `messages` and `quarantined`)
  expect(summaryLine({ ...report, messagesRead: report.messages, unreadableCount: report.quarantined }), where).toContain(`${ids.length} unreadable`);
  // the digest: the section with the count, the first 20 named, the rest pointed to the log
  const html = await readFile(report.htmlPath, 'utf8');
  expect(html, where).toContain(`Could not be read (${ids.length})`);
  const listed = [...html.matchAll(/<li>([^<:]+): (E[A-Z]+) /g)].map((m) => m[1]!);
  expect(listed.length, where).toBe(Math.min(20, ids.length));
  for (const id of listed) expect(ids, where).toContain(id);
  if (ids.length > 20) expect(html, where).toContain(`and ${ids.length - 20} more (see the run log)`);
  return report;
}

describe(`a digest of fuzzed mail (seed ${SEED})`, () => {
  let imap: Dovecot | undefined;
  afterAll(async () => {
    await imap?.close();
  });

  it(`${CASES} malformed messages in a Maildir: the run completes, each unparseable one is quarantined and reported`, async () => {
    const where = `seed ${SEED} (replay: DIGEST_FUZZ_SEED=${SEED})`;
    const cases = fuzzMessages(SEED, CASES);
    const wd = await workDir({});
    const maildir = join(wd.dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, sub), { recursive: true });
    const names = cases.map((c) => `${1_795_600_000 + c.index}.M${c.index}P1.fuzz`);
    await Promise.all(cases.map((c, i) => writeFile(join(maildir, 'new', names[i]!), c.raw)));
    await writeFile(wd.envFile, `DIGEST_SOURCE=maildir:${maildir}\nDIGEST_TIMEZONE=America/New_York\n`, { mode: 0o600 });

    // The oracle: each file on its own through the one parse path both sources use (header lines
    // the digest never reads dropped, then @jobs/mail's parser), in-process.
    const failing: string[] = [];
    const kinds = new Map<string, number>();
    for (const [i, name] of names.entries()) {
      const result = await parseForDigest(await readFile(join(maildir, 'new', name)), { classify: DEFAULT_CLASSIFY });
      if (!result.ok) {
        failing.push(name);
        kinds.set(cases[i]!.kind, (kinds.get(cases[i]!.kind) ?? 0) + 1);
      }
    }

    const started = performance.now();
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--json', '--since', '36500d', '--out', join(wd.dir, 'digest.html')], { JOBS_STATE_DIR: wd.stateDir });
    const ms = Math.round(performance.now() - started);
    const report = await expectReported(r, failing, where, 10);
    expect(report, where).toMatchObject({ outcome: 'dry-run', messages: CASES, degraded: 'no-llm', checkpointAdvanced: false });
    expect(report.threads, where).toBeGreaterThan(0);
    // a dry run changed nothing: every file is where it was, no state written
    expect((await readdir(join(maildir, 'new'))).sort(), where).toEqual([...names].sort());
    expect(await readdir(wd.dir), where).not.toContain('state');
    console.info(JSON.stringify({ fuzzSeed: SEED, cases: CASES, quarantined: failing.length, byMutation: Object.fromEntries(kinds), threads: report.threads, spam: report.spam, runMs: ms }));
  }, 180_000);

  it(`${IMAP_CASES} of them in dovecot, parsed in 2 worker threads and in-process: the same quarantines, each reported`, async () => {
    const where = `seed ${SEED} (replay: DIGEST_FUZZ_SEED=${SEED})`;
    imap = await startDovecot();
    // The unparseable ones first (so the set has some), then others. Header-less cases are left
    // out: @jobs/mail's IMAP fetch deduplicates by Message-ID, else by Date/From/Subject/size, so
    // two of them of the same size would count as one message (the Maildir test has them).
    const all = fuzzMessages(SEED, CASES).filter((c) => c.kind !== 'noHeaders');
    const distinct = [...new Map(all.map((c) => [c.raw.toString('latin1'), c])).values()];
    const bad = distinct.filter((c) => c.kind === 'hugeHeader' || c.kind === 'manyHeaders');
    const picked = [...bad.slice(0, 40), ...distinct.filter((c) => !bad.includes(c)).slice(0, IMAP_CASES - Math.min(40, bad.length))];
    // Always unparseable over IMAP too: a kept header (Subject) past the parser's 1 MiB cap.
    const sure = Buffer.from(`From: a@example.com\r\nSubject: ${'s'.repeat(1_100_000)}\r\nMessage-ID: <sure@example.com>\r\n\r\nbody\r\n`);
    await imap.createMailbox('Fuzz');
    await imap.deliver('Fuzz', [...picked.map((c) => c.raw), sure]);
    const runs: Array<{ workers: number; report: { unreadable: Quarantine[] } }> = [];
    for (const workers of [2, 0]) {
      const wd = await workDir({
        ...imapKeys(imap, 'Fuzz'),
        IMAP_TIMEOUT_SECONDS: 60,
        DIGEST_TIMEZONE: 'America/New_York',
        DIGEST_PARSE_WORKERS: workers,
      });
      const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--json', '--since', '36500d', '--out', join(wd.dir, 'digest.html')], { JOBS_STATE_DIR: wd.stateDir }, { sleep: async () => {} });
      expect(r.stderr, where).toContain(`"parseWorkers":${workers}`);
      const logged = loggedQuarantines(r.stderr).map((q) => q.id);
      // the digest drops X-* and To/Cc lines before parsing (both sources), so few fail; one always does
      const report = await expectReported(r, logged, `${where}, ${workers} workers`, 1);
      expect(report.messages, where).toBe(picked.length + 1);
      // the message that cannot parse anywhere is among them (it is the last UID)
      expect(report.unreadable.some((q: Quarantine) => q.id === String(picked.length + 1) && q.code === 'EPARSE'), where).toBe(true);
      runs.push({ workers, report });
      console.info(JSON.stringify({ fuzzSeed: SEED, imapCases: report.messages, parseWorkers: workers, quarantined: report.quarantined, threads: report.threads }));
    }
    // the pool quarantines exactly what in-process parsing does
    const key = (q: Quarantine) => `${q.id} ${q.code}`;
    expect(runs[0]!.report.unreadable.map(key).sort(), where).toEqual(runs[1]!.report.unreadable.map(key).sort());
  }, 180_000);
});
