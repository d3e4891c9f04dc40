// Covers writeFileAtomic: 0600 from creation, parent folders made 0700, the folder fsynced after
// the rename, no temp file left on failure, and readers never seeing a torn file.
import { mkdtemp, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLeftoverTemps, writeFileAtomic } from '../src/atomic-file.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'core-atomic-'));

describe('writeFileAtomic', () => {
  it('creates missing folders 0700 and the file 0600, replacing a loose old file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'a', 'b', 'state.json');
    await writeFileAtomic(file, 'one');
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o700);
    await writeFile(file, 'loose', { mode: 0o644 });
    await writeFileAtomic(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['state.json']);
  });

  it('fsyncs the temp file before the rename and the folder after it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    const events: string[] = [];
    await writeFileAtomic(file, 'x', {
      open: async (path, flags, mode) => {
        const handle = await open(path, flags, mode);
        const what = path === dir ? 'dir' : 'temp';
        const sync = handle.sync.bind(handle);
        handle.sync = async () => {
          // The folder's fsync must come after the rename: the target exists by then.
          events.push(`${what}-sync:${await readFile(file, 'utf8').catch(() => 'absent')}`);
          return sync();
        };
        return handle;
      },
    });
    expect(events).toEqual(['temp-sync:absent', 'dir-sync:x']);
  });

  it('leaves the old file and no temp file when the disk fails', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    await writeFile(file, 'old', { mode: 0o600 });
    const failing = async (path: string, flags: string, mode?: number) => {
      const handle = await open(path, flags, mode);
      if (flags === 'wx') handle.sync = () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      return handle;
    };
    await expect(writeFileAtomic(file, 'new', { open: failing })).rejects.toMatchObject({ code: 'EIO' });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('never shows a reader half a file while writers replace it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'big.json');
    const bodies = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(256 * 1024));
    await writeFileAtomic(file, bodies[0]!);
    let stop = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!stop) {
        const text = await readFile(file, 'utf8');
        seen.add(text.length === 256 * 1024 && new Set(text).size === 1 ? 'whole' : 'torn');
      }
    })();
    for (let i = 0; i < 20; i++) await writeFileAtomic(file, bodies[i % bodies.length]!);
    stop = true;
    await reader;
    expect([...seen]).toEqual(['whole']);
  });

  it('refuses a mode that gives group or others access', async () => {
    await expect(writeFileAtomic(join(await tempDir(), 'x'), 'y', { mode: 0o644 })).rejects.toThrow(/option mode/);
  });

  it('removeLeftoverTemps removes the temp files a killed writer left beside the file, nothing else', async () => {
    const dir = await tempDir();
    const file = join(dir, 'journal.jsonl');
    await writeFile(file, 'kept');
    await writeFile(join(dir, '.journal.jsonl.123.abcdef.tmp'), 'half');
    await writeFile(join(dir, '.other.jsonl.123.abcdef.tmp'), 'not ours');
    await removeLeftoverTemps(file);
    expect((await readdir(dir)).sort()).toEqual(['.other.jsonl.123.abcdef.tmp', 'journal.jsonl']);
    await removeLeftoverTemps(join(dir, 'missing', 'x'));
  });
});
