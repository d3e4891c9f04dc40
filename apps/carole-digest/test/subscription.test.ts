// Covers the subscription path of main(): with JOBS_CLAUDE_PATH=subscription in its environment (as
// `farm run-job --path subscription` sets it), a dry run on the sample Maildir summarizes through
// the real `claude` CLI (OAuth token, against the simulator) with no ANTHROPIC_API_KEY in repos.env,
// even when the parent env leaks one; the ledger rows say path subscription, the summary says so.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { claudeCliPath, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';
import { runMain, workDir } from './support/env.ts';
import { SAMPLE_MAILDIR } from './support/sample.ts';
import { summaryReply } from './support/sim.ts';

const TOKEN = 'sk-ant-oat01-digest-subscription-token-4b7a';
const LEAKED_KEY = 'sk-ant-api03-leaked-from-the-shell-2c6d';

describe('JOBS_CLAUDE_PATH=subscription', () => {
  it('summarizes on the subscription through claude -p: no API key needed, ledger path subscription', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}`, DIGEST_TIMEZONE: 'UTC', DIGEST_BUDGET_USD: 1, ANTHROPIC_BASE_URL: sim.url });
    try {
      const ledger = join(wd.dir, 'ledger.jsonl');
      const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--json', '--since', '36500d', '--out', join(wd.dir, 'out.html')], {
        JOBS_STATE_DIR: wd.stateDir,
        COST_LEDGER: ledger,
        HOME: wd.dir,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        JOBS_CLAUDE_PATH: 'subscription',
        JOBS_CLAUDE_BIN: claudeCliPath(),
        CLAUDE_CODE_OAUTH_TOKEN: TOKEN,
        // A key exported by the parent shell must not reach the CLI (it would bill the API).
        ANTHROPIC_API_KEY: LEAKED_KEY,
      });
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      expect(report).toMatchObject({ claudePath: 'subscription', degraded: null });
      expect(r.stderr).toMatch(/"removed":\["ANTHROPIC_API_KEY"\]/);

      const calls = sim.messageRequests();
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) expect(c.credential).toEqual({ apiKey: undefined, bearer: TOKEN, value: TOKEN });
      expect(sim.requests.some((q) => JSON.stringify(q.headers).includes(LEAKED_KEY))).toBe(false);

      const rows = (await readFile(ledger, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows).toHaveLength(calls.length);
      for (const row of rows) {
        expect(row).toMatchObject({ app: 'digest', call_site: 'digest.summarize', path: 'subscription', outcome: 'ok', attempts: 1, reason: 'JOBS_CLAUDE_PATH=subscription' });
        expect(row.usd).toBeGreaterThan(0);
      }
    } finally {
      await rm(wd.dir, { recursive: true, force: true });
    }
  }, 120_000);
});
