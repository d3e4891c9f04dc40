/**
 * The digest's own state files under the state dir: JSON written atomically (temp file created
 * 0600, fsync, rename, directory fsync, through @jobs/credentials' writeSecretFile), and read
 * strictly: a file that exists but does not parse is an error, never "no checkpoint" (that would
 * digest the whole mailbox again).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { writeSecretFile } from '@jobs/credentials/secret-file';
import { DigestError } from './errors.ts';

/** A JSON file holding one value. */
export interface JsonState<T> {
  readonly path: string;
  load(): Promise<T | undefined>;
  save(value: T): Promise<void>;
}

/** `<stateDir>/digest/<name>.json`; `check` validates what is read. */
export function jsonState<T>(stateDir: string, name: string, check: (v: unknown) => v is T): JsonState<T> {
  if (!isAbsolute(stateDir)) {
    throw new DigestError('ECONFIG', `state dir must be an absolute path, got ${JSON.stringify(stateDir)}: set JOBS_STATE_DIR`, {
      option: 'stateDir',
    });
  }
  const path = join(stateDir, 'digest', `${name}.json`);
  return {
    path,
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
        throw new DigestError('ESTATE', `could not read ${path}`, { path, cause: err });
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new DigestError('ESTATE', `${path} is not valid JSON: inspect or remove it`, { path, cause: err });
      }
      if (!check(value)) throw new DigestError('ESTATE', `${path} has an unknown shape: inspect or remove it`, { path });
      return value;
    },
    async save(value) {
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await writeSecretFile(path, `${JSON.stringify(value, null, 2)}\n`);
      } catch (err) {
        throw new DigestError('ESTATE', `could not write ${path}: check the state dir is writable`, { path, cause: err });
      }
    },
  };
}
