// Covers `farm run --dry-run`: it prints the route and the command each path would run (the
// claude argv with its guards, --bare on the API agent loop, the ssh argv), no secret, and
// spawns nothing.
import { describe, expect, it } from 'vitest';
import { KEY, sandbox, TOKEN } from './helpers.ts';

describe('farm run --dry-run', () => {
  it('prints the command of each path without running it or showing a secret', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ ANTHROPIC_API_KEY: KEY, FARM_CLAUDE_BIN: '/opt/claude/bin/claude', FARM_SSH_HOST: 'worker.internal', FARM_SSH_USER: 'jobs' });
    const sub = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--max-turns', '3', '--dry-run'], 'Fix the footer.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(sub.code, sub.stderr.text).toBe(0);
    expect(sub.stdout.text).toMatch(/on subscription: requested with --path subscription/);
    expect(sub.stdout.text).toContain('[dry-run] command: /opt/claude/bin/claude -p --output-format stream-json --verbose --include-partial-messages --model claude-haiku-5-5 --max-turns 3 --max-budget-usd 0.5 <--session-id NEW | --resume ID>');

    const agent = await sb.run(['run', '--path', 'api', '--agent', '--json', '--dry-run'], 'Refactor.');
    expect(agent.code, agent.stderr.text).toBe(0);
    const cmd = agent.stdout.lines()[0]?.command as string[];
    expect(cmd.slice(0, 2)).toEqual(['/opt/claude/bin/claude', '-p']);
    expect(cmd).toContain('--bare');

    const remote = await sb.run(['run', '--path', 'remote', '--json', '--dry-run'], 'Summarize.');
    expect(remote.stdout.lines()[0]?.command).toEqual(expect.arrayContaining(['ssh', 'BatchMode=yes', 'jobs@worker.internal']));

    for (const r of [sub, agent, remote]) {
      expect(r.stdout.text + r.stderr.text).not.toContain(KEY);
      expect(r.stdout.text + r.stderr.text).not.toContain(TOKEN);
    }
    expect(await sb.rows().catch(() => [])).toEqual([]);
  });
});
