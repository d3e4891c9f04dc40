// Covers the progress display: on a TTY stderr (isTTY, columns) main() draws fetching and
// summarizing lines in place, cut to the terminal width, and clears them; stdout holds only the
// one-line run summary (and the HTML path), TTY or not; with --json, only the JSON object.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';
import { copySample, runMain, workDir } from './support/env.ts';
import { summaryReply, TEST_KEY } from './support/sim.ts';

const CLEAR = '\r\u001b[2K';
const SUMMARY = /^digest \(dry run, not sent\): 32 messages, 18 threads \(\d+ need a reply\), [\d,]+ tokens, \$0\.\d{4}, [\d.]+ s\n$/;

async function setup() {
  const sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
  sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
  const wd = await workDir({});
  const maildir = await copySample(wd.dir);
  await writeFile(wd.envFile, `DIGEST_SOURCE=maildir:${maildir}\nDIGEST_TIMEZONE=America/New_York\nANTHROPIC_API_KEY=${TEST_KEY}\nANTHROPIC_BASE_URL=${sim.url}\n`, { mode: 0o600 });
  const out = join(wd.dir, 'digest.html');
  const argv = ['--env-file', wd.envFile, '--dry-run', '--since', '36500d', '--out', out];
  const env = { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl') };
  return { sim, argv, env, out };
}

describe('progress display', () => {
  it('on a TTY: fetching then summarizing lines redrawn in place, cleared, then the one-line summary', async () => {
    const s = await setup();
    await using _sim = s.sim;
    const r = await runMain(s.argv, s.env, { tty: { columns: 80 } });
    expect(r.code, r.stderr).toBe(0);
    expect(s.sim.messageRequests().length).toBeGreaterThan(0);

    const progress = r.errWrites.filter((w) => w.startsWith(CLEAR));
    const drawn = progress.filter((w) => w.length > CLEAR.length).map((w) => w.slice(CLEAR.length));
    const fetching = drawn.filter((l) => l.startsWith('fetching: '));
    const summarizing = drawn.filter((l) => l.startsWith('summarizing: '));
    expect(fetching.length).toBeGreaterThan(1);
    expect(fetching.at(-1)).toBe('fetching: 32/32');
    expect(summarizing.length).toBeGreaterThan(0);
    expect(summarizing.at(-1)).toMatch(/^summarizing: (\d+)\/\1 threads$/);
    // fetching comes first, then summarizing; nothing else is drawn
    expect(drawn).toEqual([...fetching, ...summarizing]);
    expect(drawn.every((l) => l.length <= 79 && !l.includes('\n'))).toBe(true);

    // the last progress write is a bare clear; stdout holds the summary line and the HTML path only
    expect(progress.at(-1)).toBe(CLEAR);
    expect(progress.length).toBe(drawn.length + 1);
    expect(r.writes).toHaveLength(2);
    expect(r.writes[0]).toMatch(SUMMARY);
    expect(r.writes[1]).toBe(`HTML digest written to ${s.out}\n`);
    expect(r.stdout).not.toMatch(/[\r\u001b]/);
  });

  it('on a narrow TTY the progress lines are cut to the width', async () => {
    const s = await setup();
    await using _sim = s.sim;
    const r = await runMain(s.argv, s.env, { tty: { columns: 12 } });
    expect(r.code, r.stderr).toBe(0);
    const drawn = r.errWrites.filter((w) => w.startsWith(CLEAR) && w.length > CLEAR.length).map((w) => w.slice(CLEAR.length));
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.every((l) => l.length === 11)).toBe(true);
    expect(drawn).toContain('summarizing');
  });

  it('on a non-TTY stdout: only the summary line and the HTML path, no control characters', async () => {
    const s = await setup();
    await using _sim = s.sim;
    const r = await runMain(s.argv, s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(s.sim.messageRequests().length).toBeGreaterThan(0);
    expect(r.writes).toHaveLength(2);
    expect(r.writes[0]).toMatch(SUMMARY);
    expect(r.writes[1]).toBe(`HTML digest written to ${s.out}\n`);
    expect(r.stdout).not.toMatch(/[\r\u001b]/);
    expect(r.stderr).not.toMatch(/[\r\u001b]/);
  });

  it('with --json, even on a TTY: one JSON object and nothing else', async () => {
    const s = await setup();
    await using _sim = s.sim;
    const r = await runMain([...s.argv, '--json'], s.env, { tty: { columns: 80 } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toHaveLength(1);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'dry-run', messages: 32, threads: 18, htmlPath: s.out });
    expect(r.stdout).not.toMatch(/[\r\u001b]/);
  });
});
