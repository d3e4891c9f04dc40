// Covers the subscription path: with JOBS_CLAUDE_PATH=subscription in its environment (as `farm
// run-job --path subscription` sets it), the lead responder drafts through the real `claude` CLI
// (OAuth token, against the simulator) with no ANTHROPIC_API_KEY in repos.env, even when the parent
// env leaks one; the ledger row says path subscription and the summary says who paid.
import { readFile } from 'node:fs/promises';
import { claudeCliPath, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';
import { directLead } from './support/sample.ts';
import { goodDraft, startWorld } from './support/world.ts';

const TOKEN = 'sk-ant-oat01-lead-subscription-token-5d1c';
const LEAKED_KEY = 'sk-ant-api03-leaked-from-the-shell-9f8e';

describe('JOBS_CLAUDE_PATH=subscription', () => {
  it('drafts on the subscription through claude -p: no API key needed, ledger path subscription', async () => {
    await using cliSim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    cliSim.respond(goodDraft);
    // No key in repos.env (an empty value is absent); the base URL is the OAuth-only simulator.
    await using w = await startWorld({ ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: cliSim.url });
    await w.deliver(directLead(1));
    const r = await w.run([], {
      env: {
        JOBS_STATE_DIR: w.stateDir,
        COST_LEDGER: w.ledgerPath,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: w.dir,
        JOBS_CLAUDE_PATH: 'subscription',
        JOBS_CLAUDE_BIN: claudeCliPath(),
        CLAUDE_CODE_OAUTH_TOKEN: TOKEN,
        // A key exported by the parent shell must not reach the CLI (it would bill the API).
        ANTHROPIC_API_KEY: LEAKED_KEY,
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.report).toMatchObject({ answered: 1, deferred: 0, held: 0, claudePath: 'subscription' });
    expect(w.replies().map((x) => x.to)).toEqual(['customer1@example.org']);

    const calls = cliSim.messageRequests();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const c of calls) expect(c.credential).toEqual({ apiKey: undefined, bearer: TOKEN, value: TOKEN });
    expect(cliSim.requests.some((q) => JSON.stringify(q.headers).includes(LEAKED_KEY))).toBe(false);
    // Nothing went to the API-key simulator of the world.
    expect(w.sim.messageRequests()).toHaveLength(0);
    expect(r.stderr).toMatch(/"removed":\["ANTHROPIC_API_KEY"\]/);

    const rows = (await readFile(w.ledgerPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(calls.length);
    for (const row of rows) {
      expect(row).toMatchObject({ app: 'lead-responder', call_site: 'lead.draft', path: 'subscription', outcome: 'ok', attempts: 1, reason: 'JOBS_CLAUDE_PATH=subscription' });
      expect(row.usd).toBeGreaterThan(0);
    }
  }, 90_000);
});
