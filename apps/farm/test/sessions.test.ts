// Covers session reuse per project: the first task sends the project's instructions with
// --session-id, the second resumes and its new turn has no copy of them; a resume that fails
// starts one fresh session; the store's TTL and message cap.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator, type SimRequest } from '@jobs/testkit/anthropic-simulator';
import { createSessionStore } from '../src/sessions.ts';
import { baseEnv, sandbox, TOKEN } from './helpers.ts';

const MARKER = 'PROJECT-INSTRUCTIONS-7f3a: always answer in French.';
const oauth = { CLAUDE_CODE_OAUTH_TOKEN: TOKEN };

/** The last user turn the CLI sent (its text blocks). */
function lastUserTurn(req: SimRequest | undefined): string {
  const messages = (req?.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? [];
  const user = messages.filter((m) => m.role === 'user').at(-1);
  return JSON.stringify(user === undefined ? '' : user.content);
}

describe('session reuse (real CLI)', () => {
  it('sends the instructions once: the resumed task carries only the task', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    await mkdir(join(sb.state, 'farm/projects/site'), { recursive: true });
    await writeFile(join(sb.state, 'farm/projects/site/instructions.md'), MARKER);
    sim.respond(() => ({ kind: 'reply', text: 'noted' }));
    const a = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--json'], 'Task one: list the pages.', oauth);
    expect(a.code, a.stderr.text).toBe(0);
    const first = sim.messageRequests().length;
    const b = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--json'], 'Task two: fix the footer.', oauth);
    expect(b.code, b.stderr.text).toBe(0);
    const reqs = sim.messageRequests();
    expect(lastUserTurn(reqs[first - 1])).toContain('PROJECT-INSTRUCTIONS-7f3a');
    const second = reqs[reqs.length - 1];
    expect(lastUserTurn(second)).toContain('Task two');
    expect(lastUserTurn(second)).not.toContain('PROJECT-INSTRUCTIONS-7f3a');
    // The resumed history holds the first turn once; the new turn adds no second copy.
    expect(JSON.stringify(second?.body).split('PROJECT-INSTRUCTIONS-7f3a').length - 1).toBe(1);
    const [ra, rb] = [a.stdout.lines()[0], b.stdout.lines()[0]];
    expect(ra?.sessionId).toBeTypeOf('string');
    expect(rb?.sessionId).toBe(ra?.sessionId);
    const rec = JSON.parse(await readFile(join(sb.state, 'farm/sessions/site.json'), 'utf8')) as { messages: number };
    expect(rec.messages).toBe(2);
  }, 60_000);

  it('a resume that fails starts a fresh session once', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    await mkdir(join(sb.state, 'farm/sessions'), { recursive: true });
    const bogus = '11111111-2222-4333-8444-555555555555';
    await writeFile(join(sb.state, 'farm/sessions/site.json'), JSON.stringify({ id: bogus, createdAt: Date.now(), lastUsedAt: Date.now(), messages: 1 }), { mode: 0o600 });
    const r = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--json'], 'Task.', oauth);
    expect(r.code, r.stderr.text).toBe(0);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: true });
    expect(out?.reason).toMatch(/resume failed, fresh session/);
    expect(out?.sessionId).not.toBe(bogus);
    const rows = await sb.rows();
    expect(rows.map((x) => x.outcome)).toEqual(['error', 'ok']);
  }, 60_000);
});

describe('session store', () => {
  it('reuses within the TTL and under the cap, then starts fresh', async () => {
    await using sb = await sandbox();
    let t = 1_000_000;
    let n = 0;
    const store = createSessionStore({ dir: join(sb.state, 's'), ttlMs: 60_000, maxMessages: 3, now: () => t, newId: () => `id-${++n}` });
    const p1 = await store.plan('p');
    expect(p1).toEqual({ kind: 'fresh', id: 'id-1' });
    await store.record('p', p1);
    const p2 = await store.plan('p');
    expect(p2).toMatchObject({ kind: 'resume', id: 'id-1' });
    await store.record('p', p2);
    await store.record('p', await store.plan('p'));
    expect((await store.read('p'))?.messages).toBe(3);
    expect(await store.plan('p')).toEqual({ kind: 'fresh', id: 'id-2' }); // cap reached
    await store.record('p', await store.plan('p'));
    t += 60_000; // TTL passed
    expect((await store.plan('p')).kind).toBe('fresh');
  });
});
