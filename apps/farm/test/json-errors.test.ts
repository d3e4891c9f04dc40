// Covers `farm run --json` when the task fails before it has a result: the project is busy
// (ELOCKED, another process holds its lock and --no-wait is given). stdout carries one JSON error
// object a caller can read, with the code; the exit code stays 1; nothing is spawned or billed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProjectLock } from '../src/lock.ts';
import { baseEnv, sandbox, TOKEN } from './helpers.ts';

describe('farm run --json: failures without a result', () => {
  it('ELOCKED prints the error object on stdout', async () => {
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv('http://127.0.0.1:9'));
    await using _held = await acquireProjectLock({ dir: join(sb.state, 'farm', 'locks'), project: 'shop', wait: false });
    const r = await sb.run(['run', '--path', 'subscription', '--project', 'shop', '--no-wait', '--json'], 'Busy task.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.code).toBe(1);
    const lines = r.stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ ok: false, project: 'shop', path: 'subscription', error: { code: 'ELOCKED' } });
    expect(String((lines[0]?.error as { message?: string } | undefined)?.message)).toMatch(/project shop is busy/);
    expect(await sb.rows()).toEqual([]);
  });
});
