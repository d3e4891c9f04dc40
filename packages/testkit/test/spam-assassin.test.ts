// Covers @jobs/testkit/spam-assassin: the corpus by group (counts, ids, spam flag, mbox From line),
// option and install errors, and the 4,150 ham messages loaded into dovecot and threaded by it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDovecot } from '../src/dovecot.ts';
import { GROUP_COUNTS, HAM_GROUPS, loadSpamAssassin, SPAM_GROUPS, type SpamAssassinMessage } from '../src/spam-assassin.ts';

async function collect(iterable: AsyncIterable<SpamAssassinMessage>): Promise<SpamAssassinMessage[]> {
  const out: SpamAssassinMessage[] = [];
  for await (const m of iterable) out.push(m);
  return out;
}

describe('loadSpamAssassin', () => {
  it('yields all 6,046 messages with the documented count per group', async () => {
    const all = await collect(loadSpamAssassin());
    expect(all).toHaveLength(6046);
    const counts: Record<string, number> = {};
    for (const m of all) counts[m.group] = (counts[m.group] ?? 0) + 1;
    expect(counts).toEqual(GROUP_COUNTS);
    expect(all.filter((m) => !m.spam)).toHaveLength(4150);
    expect(all.every((m) => m.spam === (SPAM_GROUPS as readonly string[]).includes(m.group))).toBe(true);
    expect(new Set(all.map((m) => m.id)).size).toBe(6046);
    expect(all[0]?.id).toBe('00001.7c53336b37003a9286aba55d2945844c');
    // The mbox envelope line is gone; the message starts with a header.
    expect(all.some((m) => m.raw.subarray(0, 5).toString() === 'From ')).toBe(false);
    expect(all[0]?.raw.toString('latin1')).toMatch(/^Return-Path: <exmh-workers-admin@/);
  }, 60_000);

  it('reads only the groups asked for, in the package order, and can keep the From line', async () => {
    const some = await collect(loadSpamAssassin({ groups: ['spam-1', 'hard-ham-1'], keepMboxFrom: true }));
    expect(some).toHaveLength(GROUP_COUNTS['hard-ham-1'] + GROUP_COUNTS['spam-1']);
    expect(some[0]?.group).toBe('hard-ham-1');
    expect(some.at(-1)?.group).toBe('spam-1');
    const stripped = await collect(loadSpamAssassin({ groups: ['hard-ham-1', 'spam-1'] }));
    const withFrom = some.filter((m) => m.raw.subarray(0, 5).toString() === 'From ');
    expect(withFrom.length).toBeGreaterThan(100);
    for (const [i, m] of some.entries()) {
      const plain = stripped[i]!;
      expect(m.id).toBe(plain.id);
      expect(m.raw.subarray(m.raw.length - plain.raw.length).equals(plain.raw)).toBe(true);
      expect(m.raw.length > plain.raw.length).toBe(withFrom.includes(m));
    }
    expect((await collect(loadSpamAssassin({ groups: HAM_GROUPS }))).length).toBe(4150);
  }, 60_000);

  it('refuses an unknown group and a directory that is not the corpus', async () => {
    await expect(collect(loadSpamAssassin({ groups: ['easy-ham-3' as never] }))).rejects.toMatchObject({
      code: 'ECONFIG',
      option: 'groups',
    });
    const dir = await mkdtemp(join(tmpdir(), 'testkit-corpus-'));
    try {
      await expect(collect(loadSpamAssassin({ dataDir: dir }))).rejects.toMatchObject({ code: 'ECORPUS' });
      await writeFile(join(dir, 'file_list.json'), '{"not":"a list"}');
      await expect(collect(loadSpamAssassin({ dataDir: dir }))).rejects.toThrow(/unsupported package version/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the ham corpus in dovecot', () => {
  it('loads 4,150 ham messages and reports dovecot’s own THREAD=REFERENCES count', async () => {
    const ham = (await collect(loadSpamAssassin({ groups: HAM_GROUPS }))).map((m) => m.raw);
    await using dovecot = await startDovecot();
    const started = performance.now();
    await dovecot.deliver('INBOX', ham);
    const deliverMs = performance.now() - started;
    const threadStart = performance.now();
    const groups = await dovecot.threadGroups('INBOX');
    const threadMs = performance.now() - threadStart;
    expect(groups.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 4150 }, (_, i) => i + 1));
    // Real list traffic: many conversations, far fewer threads than messages.
    expect(groups.filter((g) => g.length > 1).length).toBeGreaterThan(100);
    expect(groups.length).toBeLessThan(4150);
    console.info(
      JSON.stringify({
        corpus: 'spam-assassin ham',
        messages: ham.length,
        dovecotThreads: groups.length,
        multiMessageThreads: groups.filter((g) => g.length > 1).length,
        deliverMs: Math.round(deliverMs),
        threadMs: Math.round(threadMs),
      }),
    );
  }, 120_000);
});
