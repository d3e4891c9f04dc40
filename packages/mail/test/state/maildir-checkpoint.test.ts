// The Maildir checkpoint in the one checkpoint store: saved and loaded under checkpoints/, the
// shape checked on load (ESTATE naming the file), and an older location read when the store's
// own file does not exist yet (never written).
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMailError } from '../../src/errors.ts';
import { readMaildir } from '../../src/maildir.ts';
import { createMaildirCheckpointStore } from '../../src/state/checkpoint.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mail-maildir-cp-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the Maildir checkpoint store', () => {
  it('saves 0600 under checkpoints/ and loads what it saved', async () => {
    const store = await createMaildirCheckpointStore({ stateDir: root, name: 'digest-maildir-abc' });
    expect(store.path).toBe(join(root, 'checkpoints', 'digest-maildir-abc.json'));
    expect(await store.load()).toBeUndefined();
    await store.save({ version: 1, seen: ['1.a.host', '2.b.host'] });
    expect(await store.load()).toEqual({ version: 1, seen: ['1.a.host', '2.b.host'] });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a file of another shape (an IMAP checkpoint), and readMaildir refuses it too', async () => {
    const store = await createMaildirCheckpointStore({ stateDir: root, name: 'm' });
    await mkdir(join(root, 'checkpoints'), { recursive: true });
    await writeFile(store.path, JSON.stringify({ version: 1, uidValidity: '1', lastUid: 3, recent: [] }));
    const err = await store.load().catch((e: unknown) => e);
    expect(isMailError(err, 'ESTATE')).toBe(true);
    expect((err as Error).message).toContain(store.path);
    expect(() => readMaildir(root, { checkpoint: { version: 1, seen: [3] } as never })).toThrow(/checkpoint/);
  });

  it('reads the previous location until the first save, and never writes it', async () => {
    const previousPath = join(root, 'digest', 'maildir-abc.json');
    await mkdir(join(root, 'digest'), { recursive: true });
    await writeFile(previousPath, JSON.stringify({ version: 1, seen: ['old.key'] }));
    const store = await createMaildirCheckpointStore({ stateDir: root, name: 'digest-maildir-abc', previousPath });
    expect(await store.load()).toEqual({ version: 1, seen: ['old.key'] });
    await store.save({ version: 1, seen: ['new.key', 'old.key'] });
    expect(await store.load()).toEqual({ version: 1, seen: ['new.key', 'old.key'] });
    expect(JSON.parse(await readFile(previousPath, 'utf8'))).toEqual({ version: 1, seen: ['old.key'] });
  });
});
