// Covers writeSecretFile: mode 0600 from creation even under umask 0, atomic replace, no temp file left behind.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv } from '../src/child-env.ts';
import { writeSecretFile } from '../src/secret-file.ts';
import { tempDir } from './helpers/tmp.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/write-secret.ts', import.meta.url));
const PKG = fileURLToPath(new URL('..', import.meta.url));

describe('writeSecretFile', () => {
  it('creates the temp file 0600 and ends 0600 under umask 0, where a plain write is world-readable', async () => {
    const dir = await tempDir();
    const { env } = childEnv('plain', { parentEnv: process.env });
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', FIXTURE, join(dir, 'secret.env'), join(dir, 'naive.env')],
        { cwd: PKG, env },
        (err, out) => (err ? reject(err) : resolve(out)),
      );
    });
    const res = JSON.parse(stdout) as { tempModes: number[]; finalMode: number; naiveMode: number };
    expect(res.tempModes).toEqual([0o600]);
    expect(res.finalMode).toBe(0o600);
    // Under this umask the naive write is 0666: the check above would catch a write-then-chmod.
    expect(res.naiveMode).toBe(0o666);
    expect(await readFile(join(dir, 'secret.env'), 'utf8')).toBe('API_KEY=sk-secret\n');
  });

  it('replaces an existing, loose file with a new 0600 one and leaves no temp file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await writeSecretFile(file, Buffer.from('{"uid":42}'));
    expect(await readFile(file, 'utf8')).toBe('{"uid":42}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('cleans up its temp file when writing fails, and leaves the old file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    await writeFile(file, 'old', { mode: 0o600 });
    const { open } = await import('node:fs/promises');
    await expect(
      writeSecretFile(file, 'new', {
        open: async (path, flags, mode) => {
          const handle = await open(path, flags, mode);
          if (flags === 'wx') {
            // A disk that fails on the data sync.
            handle.sync = () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
          }
          return handle;
        },
      }),
    ).rejects.toMatchObject({ code: 'EIO' });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('refuses a mode that gives group or others access', async () => {
    const dir = await tempDir();
    await expect(writeSecretFile(join(dir, 'x'), 'y', { mode: 0o644 })).rejects.toMatchObject({ code: 'EOPTION' });
    expect(await readdir(dir)).toEqual([]);
  });
});
