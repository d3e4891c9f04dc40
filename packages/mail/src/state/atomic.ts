/**
 * Atomic JSON files under the state dir. A reader sees the old file or the new one, never a
 * torn write: the new content goes to a temp file (created 0600 with O_EXCL), is fsynced,
 * renamed over the target, and the directory is fsynced so the rename itself survives a crash.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { MailError } from '../errors.ts';

/** Mode of every file holding state: readable by the owner only, set at creation. */
export const STATE_FILE_MODE = 0o600;
/** Mode of state directories. */
export const STATE_DIR_MODE = 0o700;

/**
 * Resolves a path inside the state dir (`stateDir` comes from the app, e.g. `$JOBS_STATE_DIR`,
 * default `~/.local/state/jobs`) and creates the directories on the way with mode 0700.
 */
export async function statePath(stateDir: string, ...parts: string[]): Promise<string> {
  if (typeof stateDir !== 'string' || !isAbsolute(stateDir)) {
    throw new MailError(
      'ECONFIG',
      `stateDir must be an absolute path, got ${JSON.stringify(stateDir)}: pass the resolved state dir`,
    );
  }
  const full = join(stateDir, ...parts);
  await mkdir(dirname(full), { recursive: true, mode: STATE_DIR_MODE });
  return full;
}

/** fsyncs a directory so a rename or a file creation in it is durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `value` as JSON to `path` atomically (temp + fsync + rename + dir fsync).
 * The file is created with mode 0600 from the start.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const data = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const handle = await open(tmp, 'wx', STATE_FILE_MODE);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new MailError('ESTATE', `could not write state file ${path}: check the state dir is writable`, {
      path,
      originalCode: errnoCode(err),
      cause: err,
    });
  }
}

/**
 * Reads a JSON file. Returns undefined when it does not exist; a file that exists but does
 * not parse is an ESTATE error (never silently treated as empty: that would refetch everything).
 */
export async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new MailError('ESTATE', `could not read state file ${path}`, {
      path,
      originalCode: errnoCode(err),
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MailError('ESTATE', `state file ${path} is not valid JSON: inspect or remove it`, {
      path,
      cause: err,
    });
  }
}

/** The `code` of a node:fs error, if any. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
