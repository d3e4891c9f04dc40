// Covers journal compaction end to end: a child compacting a large journal SIGKILLed at seeded random moments leaves the old or the new journal, complete; a run compacts under its lock and still knows what it answered; --dry-run leaves the journal alone; a retention shorter than LEAD_MAX_AGE_HOURS is refused (78).
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactRecords } from '../src/compact.ts';
import { type JournalRecord, parseJournal } from '../src/journal.ts';
import { bundleEntry } from './support/child.ts';
import { APP_DIR, directLead } from './support/sample.ts';
import { startWorld } from './support/world.ts';
import { prng } from '@jobs/testkit/prng';

const DAY = 24 * 3600_000;

/** `count` answered leads, `daysAgo` old, with a reply text long enough to make the file weigh. */
function answered(prefix: string, count: number, atMs: number): JournalRecord[] {
  const out: JournalRecord[] = [];
  const at = new Date(atMs).toISOString();
  for (let i = 0; i < count; i++) {
    const lead = `<${prefix}-${i}@example.org>`;
    const messageId = `<${prefix}-reply-${i}@carolesgardens.example>`;
    const reply = { to: `${prefix}${i}@example.org`, messageId, subject: 'Re: garden', text: 'Thank you for writing. '.repeat(20), inReplyTo: lead, references: [lead], date: at };
    out.push(
      { t: 'intent', lead, at, place: { mailbox: 'INBOX', uid: i + 1, uidValidity: '1' }, source: 'direct', reply },
      { t: 'sent', lead, at, messageId },
      { t: 'copied', lead, at, messageId },
      { t: 'marked', lead, at, applied: ['\\Answered'], unsupported: [] },
    );
  }
  return out;
}

const lines = (records: readonly JournalRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');


describe('compaction under SIGKILL', () => {
  it('a child killed at random moments of a compaction leaves the old or the new journal, complete', { timeout: 60_000 }, async () => {
    const seed = Number(process.env.LEAD_CRASH_SEED ?? Date.now() % 1_000_000_007);
    console.log(`compaction crash seed: ${seed}`);
    const random = prng(seed);
    await using w = await startWorld();
    await using bundle = await bundleEntry(join(APP_DIR, 'test/support/compact-child.ts'));
    const now = Date.parse('2026-11-23T12:00:00Z');
    const retention = 30 * DAY;
    const original = [...answered('old', 3000, now - 40 * DAY), ...answered('new', 1000, now - DAY)];
    const kept = compactRecords(original, now, retention);
    const dir = join(w.dir, 'compact');
    await mkdir(dir);
    const path = join(dir, 'journal.jsonl');
    const text = lines(original);
    const compactText = lines(kept);
    console.log(`journal: ${original.length} records (${(text.length / 1e6).toFixed(1)} MB) -> ${kept.length} (${(compactText.length / 1e6).toFixed(1)} MB)`);

    /** Runs the child on a fresh copy; kills it `killAt` ms after it says `start` (never when undefined). */
    const round = async (killAt?: number) => {
      await writeFile(path, text, { mode: 0o600 });
      const child = spawn(process.execPath, [bundle.path, path, String(now), String(retention)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      let startedAt = 0;
      let stdout = '';
      let timer: NodeJS.Timeout | undefined;
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (startedAt === 0 && stdout.startsWith('start')) {
          startedAt = Date.now();
          if (killAt !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAt);
        }
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      clearTimeout(timer);
      const after = await readFile(path, 'utf8');
      const state = after === text ? 'old' : after === compactText ? 'new' : 'BROKEN';
      const steps = Object.fromEntries([...stdout.matchAll(/^([a-z-]+) (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
      return { code, signal, stderr, steps, state };
    };

    const calibration = await round();
    expect(calibration.code, calibration.stderr).toBe(0);
    expect(calibration.state).toBe('new');
    // reading and planning take most of the time: aim the kills at the rewrite, from a little
    // before the temporary file is created to a little past the folder's fsync
    const from = calibration.steps.planned ?? 0;
    const span = Math.max(2, (calibration.steps['dir-synced'] ?? from) - from);
    const outcomes: string[] = [];
    for (let i = 0; i < 16; i++) {
      const killAt = Math.max(0, Math.round(from + span * (-0.2 + random() * 1.4)));
      const r = await round(killAt);
      const last = Object.keys(r.steps).at(-1) ?? 'reading';
      outcomes.push(`${killAt}ms:${r.signal ? `killed after ${last}` : 'finished'}:${r.state}`);
      expect(r.state, `kill at ${killAt} ms left a journal that is neither the old nor the new one`).not.toBe('BROKEN');
      // what a crash leaves is picked up by the next compaction
      const next = await round();
      expect(next.state).toBe('new');
    }
    console.log(`compaction steps (ms): ${JSON.stringify(calibration.steps)}; kills: ${outcomes.join(' | ')}`);
    expect(await readdir(dir)).toEqual(['journal.jsonl']);
  });
});

describe('compaction in a run', () => {
  it('a run compacts an old journal under its lock and still skips what it answered; --dry-run does not compact', async () => {
    await using w = await startWorld();
    const appDir = join(w.stateDir, 'lead-responder');
    await mkdir(appDir, { recursive: true });
    const journalPath = join(appDir, 'journal.jsonl');
    const old = answered('old', 300, Date.now() - 40 * DAY);
    await writeFile(journalPath, lines(old), { mode: 0o600 });
    await w.deliver(directLead(1));

    const dry = await w.run(['--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.report?.compaction).toBeNull();
    expect(parseJournal(await readFile(journalPath, 'utf8'))).toHaveLength(old.length);

    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.report?.compaction).toEqual({ compacted: true, before: old.length, after: 0 });
    expect(r.report?.answered).toBe(1);
    const after = parseJournal(await readFile(journalPath, 'utf8'));
    expect(after.every((x) => 'lead' in x && x.lead === '<lead-1@example.org>')).toBe(true);

    // the next run finds too little to drop, and sends nothing more
    const again = await w.run();
    expect(again.report?.compaction).toEqual({ compacted: false, before: after.length, after: after.length });
    expect(w.replies()).toHaveLength(1);
  });

  it('refuses a retention shorter than the age of mail it may still answer (exit 78)', async () => {
    await using w = await startWorld({ LEAD_JOURNAL_RETENTION_DAYS: '3', LEAD_MAX_AGE_HOURS: '72' });
    const r = await w.run();
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('LEAD_JOURNAL_RETENTION_DAYS=3');
    expect(r.stderr).toContain('at least 4 days');
    expect(w.smtp.messages).toHaveLength(0);
  });
});
