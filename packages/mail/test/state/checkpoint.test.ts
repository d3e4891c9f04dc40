// Checkpoints: the store (path, mode, shapes), advancing only on an explicit save (with a real dovecot fetch), and the resync key window (retention, cap, UIDVALIDITY change).
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMailError } from '../../src/errors.ts';
import { createImapSource } from '../../src/imap/source.ts';
import { message, sourceOptions, startDovecot } from '../support/imap.ts';
import { advanceCheckpoint, type Checkpoint, createCheckpointStore } from '../../src/state/checkpoint.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mail-checkpoint-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-11-23T08:00:00Z');
const limits = { now: NOW, retainMs: 14 * DAY, maxRecent: 5000 };

describe('createCheckpointStore', () => {
  it('keeps one checkpoint per name under <stateDir>/checkpoints, mode 0600', async () => {
    const store = await createCheckpointStore({ stateDir: root, name: 'digest-imap-INBOX' });
    expect(store.path).toBe(join(root, 'checkpoints', 'digest-imap-INBOX.json'));
    expect(await store.load()).toBeUndefined();
    const cp = advanceCheckpoint(undefined, '1700000000', [{ uid: 3, key: '<a@x>', internalDate: new Date(NOW) }], 3, limits);
    await store.save(cp);
    expect(await store.load()).toEqual(cp);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('refuses unsafe names and reports a file of another shape as ESTATE', async () => {
    for (const name of ['../escape', '.hidden', 'a/b', '']) {
      const err = await createCheckpointStore({ stateDir: root, name }).catch((e: unknown) => e);
      expect(isMailError(err, 'ECONFIG')).toBe(true);
    }
    const store = await createCheckpointStore({ stateDir: root, name: 'odd' });
    await mkdir(join(root, 'checkpoints'), { recursive: true }); // the store makes it on its first save only
    await writeFile(store.path, JSON.stringify({ version: 2, lastUid: 'x' }), { mode: 0o600 });
    const err = await store.load().catch((e: unknown) => e);
    expect(isMailError(err, 'ESTATE')).toBe(true);
    expect((err as Error).message).toContain('unknown shape');
  });
});

describe('advancing', () => {
  it('moves only when the caller saves: a fetch run that is iterated but not committed leaves the store as it was', async () => {
    await using imap = await startDovecot();
    await imap.deliver('INBOX', [message('k1@x'), message('k2@x')]);
    const store = await createCheckpointStore({ stateDir: root, name: 'commit-test' });
    await using source = createImapSource(sourceOptions(imap));

    const first = await source.fetchSince(await store.load());
    for await (const _m of first) {
      // handled, but the run "fails" before committing (e.g. the digest could not be sent)
    }
    expect(await store.load()).toBeUndefined();
    const again = await source.fetchSince(await store.load());
    expect(again.total).toBe(2);

    for await (const _m of again) {
      // handled, and this time committed
    }
    await store.save(again.checkpoint());
    const saved = await store.load();
    expect(saved?.lastUid).toBe(2);
    expect(saved?.recent.map((r) => r.key)).toEqual(['<k1@x>', '<k2@x>']);
    expect((await source.fetchSince(saved)).total).toBe(0);
  });

  it('forgets keys older than retainMs, and moves coveredSince when the key cap is hit', () => {
    const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);
    const handled = [
      { uid: 1, key: '<old@x>', internalDate: at(20) },
      { uid: 2, key: '<mid@x>', internalDate: at(5) },
      { uid: 3, key: '<new@x>', internalDate: at(1) },
    ];
    const cp = advanceCheckpoint(undefined, '9', handled, 3, limits);
    expect(cp.recent.map((r) => r.key)).toEqual(['<mid@x>', '<new@x>']);
    expect(cp.coveredSince).toBe(new Date(NOW - 14 * DAY).toISOString());

    const capped = advanceCheckpoint(undefined, '9', handled, 3, { ...limits, maxRecent: 1 });
    expect(capped.recent.map((r) => r.key)).toEqual(['<new@x>']);
    // the list is complete only from its oldest kept key on
    expect(capped.coveredSince).toBe(at(1).toISOString());
  });

  it('keeps lastUid under the same UIDVALIDITY and restarts it after a change, keeping the keys for dedup', () => {
    const first: Checkpoint = advanceCheckpoint(undefined, '100', [{ uid: 40, key: '<a@x>', internalDate: new Date(NOW) }], 40, limits);
    const same = advanceCheckpoint(first, '100', [], 10, limits);
    expect(same.lastUid).toBe(40);
    const changed = advanceCheckpoint(first, '200', [{ uid: 2, key: '<b@x>', internalDate: new Date(NOW) }], 3, limits);
    expect(changed.uidValidity).toBe('200');
    expect(changed.lastUid).toBe(3);
    expect(changed.recent.map((r) => r.key)).toEqual(['<a@x>', '<b@x>']);
    // a server without UIDVALIDITY never trusts lastUid across runs
    const none = advanceCheckpoint(first, null, [], 5, limits);
    expect(advanceCheckpoint(none, null, [], 1, limits).lastUid).toBe(1);
  });
});
