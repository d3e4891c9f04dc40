// Test helper: private temporary directories, removed after each test that made one.
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A new empty directory (real path, so comparisons with resolved paths hold). */
export async function tempDir(prefix = 'cred-'): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** Writes `text` to `dir/name` with `mode` (the file is created with it). */
export async function writeEnv(dir: string, text: string, mode = 0o600, name = 'repos.env'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text, { mode });
  return file;
}
