// Covers `cost report` over a HOME where farm ran subscription tasks: the real Claude Code CLI (against
// the simulator) logs each response in its session logs under that HOME, and farm's ledger row
// records the same responses (`message_ids`). The report counts each response once: the totals
// equal the ledger's, and the session logs add nothing already in it.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main as cost } from '@jobs/cost/main';
import { main as farm } from '@jobs/farm/main';
import { readLedger } from '@jobs/ledger/read';
import type { LedgerRow } from '@jobs/ledger/row';
import { CLAUDE_CLI_QUIET_ENV, claudeCliPath, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';

const TOKEN = 'sk-ant-oat01-e2e-dedup-token-0123456789';

/** An output stream that keeps what was written. */
function capture() {
  const c = {
    text: '',
    isTTY: false,
    write(s: string): boolean {
      c.text += s;
      return true;
    },
  };
  return c;
}

describe('cost report after farm subscription runs under the same HOME', () => {
  it('counts each response once: ledger rows, not ledger rows plus the same responses from the session logs', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    const root = await mkdtemp(join(tmpdir(), 'e2e-dedup-'));
    try {
      const home = join(root, 'home');
      const ledger = join(root, 'ledger.jsonl');
      const reposEnv = join(root, 'repos.env');
      await writeFile(reposEnv, `ANTHROPIC_BASE_URL=${sim.url}\nFARM_CLAUDE_BIN=${claudeCliPath()}\nFARM_WATCHDOG_SECONDS=60\n`, { mode: 0o600 });
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, JOBS_STATE_DIR: join(root, 'state'), COST_LEDGER: ledger, REPOS_ENV: reposEnv, CLAUDE_CODE_OAUTH_TOKEN: TOKEN, ...CLAUDE_CLI_QUIET_ENV };
      sim.respond(() => ({ kind: 'reply', text: 'done' }));
      for (const task of ['Task one.', 'Task two.']) {
        const err = capture();
        const code = await farm(['run', '--path', 'subscription', '--project', 'site'], { env, stdout: capture(), stderr: err, stdin: Readable.from([task]), cwd: root, home, workspaceRoot: root });
        expect(code, err.text).toBe(0);
      }
      const rows: LedgerRow[] = [];
      for await (const r of readLedger(ledger)) rows.push(r);
      expect(rows).toHaveLength(2);
      for (const r of rows) expect(r.message_ids?.length).toBeGreaterThan(0);
      // Claude Code did log the session under this HOME.
      expect((await readdir(join(home, '.claude', 'projects'))).length).toBeGreaterThan(0);

      const out = capture();
      const code = await cost(['report', '--json', '--since', '1d', '--ledger', ledger], {
        env: { JOBS_STATE_DIR: join(root, 'state') },
        stdout: out,
        stderr: capture(),
        now: () => new Date(Date.now() + 1000),
        home,
        cwd: root,
        workspaceRoot: root,
        hostname: 'e2e',
        localTimeZone: 'UTC',
      });
      expect(code).toBe(0);
      const report = JSON.parse(out.text) as { claudeLogs: { messages: number; inLedger: number; rows: number }; totals: { calls: number; equivalentUsd: number } };
      const ids = new Set(rows.flatMap((r) => r.message_ids ?? []));
      // Every response the logs hold is one farm's rows already count.
      expect(report.claudeLogs.messages).toBe(ids.size);
      expect(report.claudeLogs.inLedger).toBe(ids.size);
      expect(report.claudeLogs.rows).toBe(0);
      const ledgerUsd = rows.reduce((s, r) => s + (r.usd ?? 0), 0);
      expect(report.totals.equivalentUsd).toBeCloseTo(ledgerUsd, 12);
      expect(report.totals.calls).toBe(rows.length);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});
