// Covers the Maildir source on a real directory: delivery order, since filter, checkpoints that
// neither skip nor duplicate (partial runs, MUA renames, old mtimes), and files left untouched.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMailError } from '../src/errors.ts';
import { type MaildirCheckpoint, type MaildirItem, maildirKey, readMaildir } from '../src/maildir.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maildir-test-'));
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(dir, sub));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 9, 7, 8, 0, 0) / 1000;

/** Writes one message file as an MDA would, with its delivery time as mtime. */
function deliver(sub: 'new' | 'cur', name: string, atSec: number, subject = name): string {
  const path = join(dir, sub, name);
  writeFileSync(path, `From: a@example.com\r\nMessage-ID: <${name.split(/[.:]/)[1]}@x>\r\nSubject: ${subject}\r\n\r\nbody\r\n`);
  utimesSync(path, atSec, atSec);
  return path;
}

async function collect(reader: AsyncIterable<MaildirItem>, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
  const subjects: string[] = [];
  for await (const { result } of reader) {
    subjects.push(result.ok ? result.message.subject : `Q:${result.code}`);
    if (subjects.length >= limit) break;
  }
  return subjects;
}

function snapshot(): string[] {
  return ['new', 'cur', 'tmp'].flatMap((sub) =>
    readdirSync(join(dir, sub)).map((n) => `${sub}/${n}@${statSync(join(dir, sub, n)).mtimeMs}`),
  );
}

describe('readMaildir', () => {
  it('reads new/ and cur/ in delivery order, ignoring tmp/ and dot files, changing nothing', async () => {
    deliver('cur', `${T0 + 20}.c1.host:2,S`, T0 + 20, 'third');
    deliver('new', `${T0}.n1.host`, T0, 'first');
    deliver('new', `${T0 + 10}.n2.host`, T0 + 10, 'second');
    writeFileSync(join(dir, 'tmp', 'partial'), 'half a message');
    writeFileSync(join(dir, 'new', '.hidden'), 'x');
    const before = snapshot();
    const reader = readMaildir(dir);
    expect(await collect(reader)).toEqual(['first', 'second', 'third']);
    expect(snapshot()).toEqual(before);
    const item = (await (readMaildir(dir)[Symbol.asyncIterator]().next())).value as MaildirItem;
    expect(item.result.ok && item.result.message.path).toBe(join(dir, 'new', `${T0}.n1.host`));
  });

  it('filters by since, and counts what it skipped as seen', async () => {
    deliver('cur', `${T0}.old.host:2,S`, T0, 'old');
    deliver('new', `${T0 + 100}.new.host`, T0 + 100, 'new');
    const reader = readMaildir(dir, { since: new Date((T0 + 50) * 1000) });
    expect(await collect(reader)).toEqual(['new']);
    expect(reader.checkpoint()).toEqual({ version: 1, seen: [`${T0 + 100}.new.host`, `${T0}.old.host`].sort() });
  });

  it('resumes from a checkpoint: no skip after a partial run, no duplicate after a rename', async () => {
    deliver('new', `${T0}.a.host`, T0, 'a');
    deliver('new', `${T0 + 1}.b.host`, T0 + 1, 'b');
    deliver('new', `${T0 + 2}.c.host`, T0 + 2, 'c');
    const first = readMaildir(dir);
    expect(await collect(first, 2)).toEqual(['a', 'b']);
    const cp: MaildirCheckpoint = JSON.parse(JSON.stringify(first.checkpoint()));
    expect(cp.seen).toEqual([`${T0}.a.host`, `${T0 + 1}.b.host`]);
    // The MUA reads "a" (new/ -> cur/ with flags); mail with an OLD mtime arrives late (a sync).
    renameSync(join(dir, 'new', `${T0}.a.host`), join(dir, 'cur', `${T0}.a.host:2,S`));
    deliver('cur', `${T0 - 3600}.late.host:2,`, T0 - 3600, 'late');
    const second = readMaildir(dir, { checkpoint: cp });
    expect(await collect(second)).toEqual(['late', 'c']);
    // A deleted message drops out of the checkpoint, so it stays no larger than the folder.
    rmSync(join(dir, 'cur', `${T0}.a.host:2,S`));
    const third = readMaildir(dir, { checkpoint: second.checkpoint() });
    expect(await collect(third)).toEqual([]);
    expect(third.checkpoint().seen).toEqual([`${T0 - 3600}.late.host`, `${T0 + 1}.b.host`, `${T0 + 2}.c.host`]);
  });

  it('finds a message the MUA moved between the scan and the read', async () => {
    deliver('new', `${T0}.a.host`, T0, 'a');
    deliver('new', `${T0 + 1}.b.host`, T0 + 1, 'b');
    const it = readMaildir(dir)[Symbol.asyncIterator]();
    const a = await it.next();
    expect(a.done).toBe(false);
    renameSync(join(dir, 'new', `${T0 + 1}.b.host`), join(dir, 'cur', `${T0 + 1}.b.host:2,S`));
    const b = (await it.next()).value as MaildirItem;
    expect(b.result.ok && b.result.message.subject).toBe('b');
    expect(b.result.ok && b.result.message.path).toBe(join(dir, 'cur', `${T0 + 1}.b.host:2,S`));
  });

  it('quarantines an oversized file and still checkpoints it', async () => {
    deliver('new', `${T0}.big.host`, T0, 'x'.repeat(5000));
    const reader = readMaildir(dir, { parse: { maxBytes: 1000 } });
    expect(await collect(reader)).toEqual(['Q:ETOOBIG']);
    expect(reader.checkpoint().seen).toEqual([`${T0}.big.host`]);
  });

  it('reports a directory that is not a Maildir, and bad options, as MailError', async () => {
    const bad = readMaildir(join(dir, 'nope'));
    await expect(collect(bad)).rejects.toSatisfy((err: unknown) => isMailError(err, 'ENOMAILBOX'));
    expect(() => readMaildir(dir, { since: new Date('junk') })).toThrow(/since/);
    expect(() => readMaildir(dir, { checkpoint: { version: 2 } as never })).toThrow(/checkpoint/);
  });

  it('keys names by their unique part', () => {
    expect(maildirKey('1728288000.M1P2.host,U=7:2,RS')).toBe('1728288000.M1P2.host,U=7');
    expect(maildirKey('1728288000.M1P2.host;2,S')).toBe('1728288000.M1P2.host');
    expect(maildirKey('1728288000.M1P2.host')).toBe('1728288000.M1P2.host');
  });
});
