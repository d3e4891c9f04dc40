// Covers one run at a time per project across processes: a second `farm run` (a real child
// process vs. an in-process one) refuses with --no-wait or waits and runs after the first; a
// lock left by a dead pid is taken over.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { acquireProjectLock } from '../src/lock.ts';
import { APP_DIR, baseEnv, sandbox, TOKEN } from './helpers.ts';

describe('project lock', () => {
  it('a second farm run on a busy project refuses (--no-wait) or waits, never runs alongside', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    let firstSeen!: () => void;
    const seen = new Promise<void>((r) => {
      firstSeen = r;
    });
    let calls = 0;
    // The first run's reply takes 2.5 s: long enough for the other two runs to meet its lock.
    sim.respond(() => {
      calls += 1;
      if (calls === 1) {
        firstSeen();
        return { kind: 'reply', text: 'first', latencyMs: 2500 };
      }
      return { kind: 'reply', text: 'later' };
    });
    const child = spawn(process.execPath, [join(APP_DIR, 'src/cli.ts'), 'run', '--path', 'subscription', '--project', 'shop', '--json'], {
      cwd: APP_DIR,
      env: { ...sb.env, CLAUDE_CODE_OAUTH_TOKEN: TOKEN },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let childOut = '';
    child.stdout.on('data', (c: Buffer) => {
      childOut += c.toString();
    });
    child.stdin.end('First task.');
    const childDone = new Promise<number | null>((r) => child.on('close', r));
    await seen;
    const refused = await sb.run(['run', '--path', 'subscription', '--project', 'shop', '--no-wait'], 'Second task.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(refused.code).toBe(1);
    expect(refused.stderr.text).toMatch(/ELOCKED.*busy/);
    const waited = await sb.run(['run', '--path', 'subscription', '--project', 'shop', '--json'], 'Third task.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(waited.code, waited.stderr.text).toBe(0);
    expect(await childDone).toBe(0);
    expect(JSON.parse(childOut.trim())).toMatchObject({ ok: true, text: 'first' });
    const reqs = sim.messageRequests();
    expect(reqs).toHaveLength(2);
    // The waiting run's request came after the first reply was complete.
    expect((reqs[1]?.at ?? 0) - (reqs[0]?.at ?? 0)).toBeGreaterThanOrEqual(2500);
    const rows = await sb.rows();
    expect(rows.map((r) => r.outcome)).toEqual(['ok', 'ok']);
  }, 90_000);

  it('takes over a lock whose owner pid is dead, and refuses one whose owner lives', async () => {
    await using sb = await sandbox();
    const dir = join(sb.state, 'locks');
    await mkdir(dir, { recursive: true });
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid as number;
    await new Promise((r) => dead.on('close', r));
    const { hostname } = await import('node:os');
    await writeFile(join(dir, 'p.lock'), JSON.stringify({ pid: deadPid, host: hostname(), token: 't-old', since: '' }));
    const lock = await acquireProjectLock({ dir, project: 'p', wait: false });
    const body = JSON.parse(await readFile(lock.path, 'utf8')) as { pid: number };
    expect(body.pid).toBe(process.pid);
    await expect(acquireProjectLock({ dir, project: 'p', wait: false })).rejects.toMatchObject({ code: 'ELOCKED' });
    const slept: number[] = [];
    await expect(
      acquireProjectLock({ dir, project: 'p', timeoutMs: 1000, pollMs: 250, now: (() => { let t = 0; return () => (t += 300); })(), sleep: async (ms) => { slept.push(ms); } }),
    ).rejects.toMatchObject({ code: 'ELOCKED' });
    expect(slept.length).toBeGreaterThan(0);
    await lock.release();
    const again = await acquireProjectLock({ dir, project: 'p', wait: false });
    await again.release();
  });
});
