// Covers the real CLI as a child process (node src/cli.ts, no tsx): --help on every command,
// exit codes 0 / 1 / 2 / 78, and JSON on stdout with logs kept on stderr.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { row, tempDir, writeLedger } from './helpers.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');

function cost(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

describe('cost CLI (child process)', () => {
  it('answers --help, and maps failures to exit codes', { timeout: 120_000 }, async () => {
    const home = await tempDir();
    const env = { HOME: home, JOBS_STATE_DIR: join(home, 'state'), TZ: 'UTC' };
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, [row({ ts: new Date(Date.now() - 3_600_000).toISOString(), usd: 3 })]);
    const reposEnv = join(home, 'repos.env');
    await writeFile(reposEnv, 'SMTP_HOST=127.0.0.1\n', { mode: 0o600 });
    await writeFile(join(home, 'loop.sh'), 'while true; do claude -p "x" --model claude-haiku-5-5 --max-turns 1; done\n');

    const [help, reportHelp, checkHelp, auditHelp, none, inherited, badFlag, report, over, config, audit, jsonFailure] = await Promise.all([
      cost(['--help'], env),
      cost(['report', '--help'], env),
      cost(['check', '--help'], env),
      cost(['audit', '--help'], env),
      cost([], env),
      cost(['toString'], env),
      cost(['report', '--colour'], env),
      cost(['report', '--json', '--ledger', ledger], { ...env, COST_LEDGER: '' }),
      cost(['check', '--daily-budget', '1', '--ledger', ledger], env),
      cost(['check', '--daily-budget', '1', '--notify', '--ledger', ledger], { ...env, REPOS_ENV: reposEnv }),
      cost(['audit', home, '--json'], env),
      cost(['report', '--json', '--since', 'soon', '--ledger', ledger], env),
    ]);
    for (const h of [help, reportHelp, checkHelp, auditHelp]) {
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/^Usage: pnpm cost/);
    }
    expect(reportHelp.stdout).toContain('--html FILE');
    expect(checkHelp.stdout).toContain('--daily-budget USD');
    expect(auditHelp.stdout).toContain('--json');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: pnpm cost/);
    // A name every object inherits is not a command (it used to be called, and crashed the CLI).
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toContain('cost: unknown command "toString"');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--colour');
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ totals: { billedUsd: 3, calls: 1 }, claudeLogs: { files: 0 } });
    expect(over.code).toBe(1);
    expect(over.stdout).toContain('OVER BUDGET');
    expect(config.code).toBe(78);
    expect(config.stderr).toContain('COST_ALERT_TO: missing');
    expect(audit.code).toBe(1);
    expect(JSON.parse(audit.stdout).findings[0]).toMatchObject({ file: 'loop.sh', line: 1, rule: 'claude-unbounded-loop', severity: 'high' });
    // Under --json a failure is one JSON object on stdout, with its exit code.
    expect(jsonFailure.code).toBe(2);
    expect(JSON.parse(jsonFailure.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });
});
