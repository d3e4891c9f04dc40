// Covers journal compaction: what is kept (unsettled leads at any age, leads within the retention, today's cap counts, our Message-IDs, notices), when it rewrites, and a crash after each step of the rewrite leaving the old or the new journal, complete.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CompactStep, compactJournal, compactRecords } from '../src/compact.ts';
import { type JournalRecord, openJournal, parseJournal } from '../src/journal.ts';
import { buildIndex, repliesToday } from '../src/lead-state.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 24 * 3600_000;
const RETENTION = 30 * DAY;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-compact-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A journal over 60 days: every kind of lead, settled or not, old and recent. */
function history(): { records: JournalRecord[]; mustKeep: string[]; mustDrop: string[] } {
  const records: JournalRecord[] = [];
  const mustKeep: string[] = [];
  const mustDrop: string[] = [];
  let n = 0;
  const at = (ms: number) => new Date(ms).toISOString();
  const reply = (to: string, ms: number) => ({
    to,
    messageId: `<r${++n}@carolesgardens.example>`,
    subject: 'Re: garden',
    text: 'Thank you for writing.',
    inReplyTo: `<l${n}@example.org>`,
    references: [`<l${n}@example.org>`],
    date: at(ms),
  });
  const place = { mailbox: 'INBOX', uid: 1, uidValidity: '7' };
  for (let day = 59; day >= 0; day--) {
    const t = NOW - day * DAY - 3600_000;
    const recent = day * DAY + 3600_000 <= RETENTION;
    const key = (kind: string) => `<${kind}-${day}@example.org>`;
    // answered and finished
    const r1 = reply(`a${day % 7}@example.org`, t);
    records.push(
      { t: 'intent', lead: key('answered'), at: at(t), place, source: 'direct', reply: r1 },
      { t: 'sent', lead: key('answered'), at: at(t + 1), messageId: r1.messageId },
      { t: 'copied', lead: key('answered'), at: at(t + 2), messageId: r1.messageId },
      { t: 'marked', lead: key('answered'), at: at(t + 3), applied: ['\\Answered'], unsupported: [] },
    );
    // held, reported and capped, each told to the owner
    const r2 = reply(`h${day}@example.org`, t);
    records.push(
      { t: 'hold', lead: key('held'), at: at(t + 4), draftId: `<d${day}@carolesgardens.example>`, reason: 'draft failed its checks', draft: r2 },
      { t: 'held', lead: key('held'), at: at(t + 5), draftId: `<d${day}@carolesgardens.example>`, reason: 'draft failed its checks' },
      { t: 'reported', lead: key('reported'), at: at(t + 6), reason: 'no-reply-address', summary: 'Sam, phone (802) 555-0147' },
      { t: 'skipped', lead: key('capped'), at: at(t + 7), reason: 'daily-cap', summary: 'Dana wrote again' },
      { t: 'notice', at: at(t + 8), messageId: `<n${day}@carolesgardens.example>`, leads: [key('held'), key('reported'), key('capped')] },
    );
    // a reply certainly not sent (the lead is `new` again)
    const r3 = reply(`x${day}@example.org`, t);
    records.push(
      { t: 'intent', lead: key('retry'), at: at(t + 9), place, source: 'direct', reply: r3 },
      { t: 'not-sent', lead: key('retry'), at: at(t + 10), messageId: r3.messageId, code: 'ETEMP' },
    );
    for (const kind of ['answered', 'held', 'reported', 'capped', 'retry']) (recent ? mustKeep : mustDrop).push(key(kind));
  }
  // unsettled leads, old: recovery still needs every one of them
  const old = NOW - 50 * DAY;
  const r4 = reply('unknown@example.org', old);
  const r5 = reply('holding@example.org', old);
  const r6 = reply('unmarked@example.org', old);
  records.push(
    { t: 'intent', lead: '<unknown@example.org>', at: at(old), place, source: 'direct', reply: r4 },
    { t: 'hold', lead: '<holding@example.org>', at: at(old), draftId: '<dh@carolesgardens.example>', reason: 'delivery unknown', draft: r5 },
    { t: 'intent', lead: '<unmarked@example.org>', at: at(old), place, source: 'direct', reply: r6 },
    { t: 'sent', lead: '<unmarked@example.org>', at: at(old + 1), messageId: r6.messageId },
    { t: 'reported', lead: '<untold@example.org>', at: at(old), reason: 'no-reply-address', summary: 'phone only' },
  );
  mustKeep.push('<unknown@example.org>', '<holding@example.org>', '<unmarked@example.org>', '<untold@example.org>');
  return { records, mustKeep, mustDrop };
}

describe('compactRecords', () => {
  it('keeps unsettled leads at any age and everything within the retention, drops the rest', () => {
    const { records, mustKeep, mustDrop } = history();
    const kept = compactRecords(records, NOW, RETENTION);
    const before = buildIndex(records);
    const after = buildIndex(kept);
    expect(kept.length).toBeLessThan(records.length * 0.6);
    for (const key of mustKeep) expect(after.leads.get(key), key).toEqual(before.leads.get(key));
    for (const key of mustDrop) expect(after.leads.has(key), key).toBe(false);
    expect([...after.leads.keys()].sort()).toEqual([...mustKeep].sort());
    // our replies of the window still stop loops; today's cap counts are unchanged
    for (const key of mustKeep) {
      const id = before.leads.get(key)?.reply?.messageId;
      if (id) expect(after.ourMessageIds.has(id), id).toBe(true);
    }
    for (const to of ['a0@example.org', 'a1@example.org', 'h0@example.org', 'x0@example.org', 'unknown@example.org']) {
      expect(repliesToday(after, to, NOW, 'UTC')).toBe(repliesToday(before, to, NOW, 'UTC'));
    }
    // notices keep only the leads kept, and still mark them told
    const notices = kept.filter((r) => r.t === 'notice');
    expect(notices).toHaveLength(30);
    expect(after.leads.get('<capped-0@example.org>')?.noticed).toBe(true);
    expect(after.leads.get('<untold@example.org>')?.noticed).toBe(false);
  });

  it('compacting twice changes nothing more', () => {
    const once = compactRecords(history().records, NOW, RETENTION);
    expect(compactRecords(once, NOW, RETENTION)).toEqual(once);
  });
});

async function writeJournal(records: readonly JournalRecord[], tail = ''): Promise<string> {
  const path = join(dir, 'journal.jsonl');
  await writeFile(path, records.map((r) => `${JSON.stringify(r)}\n`).join('') + tail, { mode: 0o600 });
  return path;
}

describe('compactJournal', () => {
  it('rewrites the file 0600 with the kept records, dropping a torn last line', async () => {
    const { records } = history();
    const path = await writeJournal(records, '{"t":"inte');
    const result = await compactJournal(path, { now: () => NOW, retentionMs: RETENTION });
    const kept = compactRecords(records, NOW, RETENTION);
    expect(result).toEqual({ compacted: true, before: records.length, after: kept.length });
    expect(parseJournal(await readFile(path, 'utf8'))).toEqual(kept);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['journal.jsonl']);
    // the journal opens and appends as before
    const j = await openJournal(path, { now: () => NOW });
    await j.append({ t: 'skipped', lead: '<z@x>', reason: 'daily-cap' });
    await j.close();
    expect(parseJournal(await readFile(path, 'utf8'))).toHaveLength(kept.length + 1);
  });

  it('leaves the file alone when little would go, or nothing exists', async () => {
    const { records } = history();
    const path = await writeJournal(records);
    const r = await compactJournal(path, { now: () => NOW - 29 * DAY, retentionMs: RETENTION, minDrop: 200 });
    expect(r.compacted).toBe(false);
    expect(await compactJournal(join(dir, 'none.jsonl'))).toEqual({ compacted: false, before: 0, after: 0 });
    await expect(stat(join(dir, 'none.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  const steps: CompactStep[] = ['planned', 'temp-written', 'temp-synced', 'renamed', 'dir-synced'];
  it.each(steps)('a crash after %s leaves the old or the new journal, complete, and the next run compacts', async (step) => {
    const { records } = history();
    const path = await writeJournal(records);
    const kept = compactRecords(records, NOW, RETENTION);
    const crash = new Error(`crash after ${step}`);
    const err = await compactJournal(path, {
      now: () => NOW,
      retentionMs: RETENTION,
      afterStep: (s) => {
        if (s === step) throw crash;
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ESTATE', cause: crash });
    const left = parseJournal(await readFile(path, 'utf8'));
    const renamed = steps.indexOf(step) >= steps.indexOf('renamed');
    expect(left).toEqual(renamed ? kept : records);
    // a temporary file left behind is removed, and the compaction done, by the next run
    const again = await compactJournal(path, { now: () => NOW, retentionMs: RETENTION });
    expect(again.compacted).toBe(!renamed);
    expect(parseJournal(await readFile(path, 'utf8'))).toEqual(kept);
    expect(await readdir(dir)).toEqual(['journal.jsonl']);
  });
});
