// Covers who pays for a job's own Claude calls under `farm run-job`: the real digest (dry run, the
// sample Maildir) summarizing through the simulator lands its calls in the ledger as path
// subscription with `--path subscription --allow-subscription` (the job runs the real claude CLI
// on the OAuth token, never the API key, even one the parent shell exports), and as path api by
// default (the job's own API key from repos.env).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type SimRequest, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { baseEnv, Capture, KEY, sandbox, type Sandbox, TOKEN, WORKSPACE } from './helpers.ts';

const DIGEST = join(WORKSPACE, 'apps/carole-digest/src/cli.ts');
const MAILDIR = 'maildir:apps/carole-digest/sample/Maildir';

/** A valid digest summary reply: one entry per `<thread id="tN"` in the request. */
function summaries(req: SimRequest) {
  const ids = [...new Set([...JSON.stringify(req.body?.messages ?? []).matchAll(/<thread id=\\"(t\d+)\\"/g)].map((m) => m[1]))];
  return { kind: 'reply' as const, json: { threads: ids.map((id) => ({ id, summary: `Summary of ${id}.`, needsReply: false, action: null })) } };
}

async function runJob(sb: Sandbox, argv: string[], extraEnv: Record<string, string> = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { env: { ...sb.env, ...extraEnv }, stdout, stderr, stdin: Readable.from(['']), cwd: WORKSPACE, home: sb.home, workspaceRoot: WORKSPACE });
  return { code, stdout, stderr };
}

const digestArgs = (sb: Sandbox, name: string) => ['--', '--dry-run', '--json', '--source', MAILDIR, '--since', '2026-11-16T00:00:00Z', '--out', join(sb.root, name)];

describe.runIf(existsSync(DIGEST))('farm run-job digest: the job\'s Claude calls land on the route\'s billing path', () => {
  it('--path subscription --allow-subscription: ledger path subscription, OAuth only; default: path api, the key', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    sim.respond(summaries);
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));

    const sub = await runJob(sb, ['run-job', 'digest', '--path', 'subscription', '--allow-subscription', '--json', ...digestArgs(sb, 'sub.html')], {
      CLAUDE_CODE_OAUTH_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: KEY,
    });
    expect(sub.code, sub.stderr.text.slice(-3000)).toBe(0);
    const subOut = sub.stdout.lines()[0];
    expect(subOut).toMatchObject({ ok: true, job: 'digest', path: 'subscription', jobSummary: { claudePath: 'subscription' } });
    const subCalls = sim.messageRequests();
    expect(subCalls.length).toBeGreaterThan(0);
    for (const c of subCalls) expect(c.credential).toEqual({ apiKey: undefined, bearer: TOKEN, value: TOKEN });
    let rows = await sb.rows();
    const subRows = rows.filter((r) => r.app === 'digest');
    expect(subRows).toHaveLength(subCalls.length);
    for (const r of subRows) {
      expect(r).toMatchObject({ call_site: 'digest.summarize', path: 'subscription', outcome: 'ok' });
      expect(r.usd).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.call_site === 'farm.run-job')).toMatchObject({ path: 'subscription', outcome: 'ok' });

    const api = await runJob(sb, ['run-job', 'digest', '--json', ...digestArgs(sb, 'api.html')], { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(api.code, api.stderr.text.slice(-3000)).toBe(0);
    expect(api.stdout.lines()[0]).toMatchObject({ ok: true, path: 'api', jobSummary: { claudePath: 'api' } });
    const apiCalls = sim.messageRequests().slice(subCalls.length);
    expect(apiCalls.length).toBeGreaterThan(0);
    for (const c of apiCalls) expect(c.credential.apiKey).toBe(KEY);
    rows = await sb.rows();
    const apiRows = rows.filter((r) => r.app === 'digest').slice(subRows.length);
    expect(apiRows).toHaveLength(apiCalls.length);
    for (const r of apiRows) expect(r).toMatchObject({ call_site: 'digest.summarize', path: 'api', outcome: 'ok' });
  }, 120_000);
});
