/**
 * Atomic JSON files under the state dir. A reader sees the old file or the new one, never a
 * torn write: writes go through @jobs/core/atomic-file (temp file created 0600 with O_EXCL,
 * fsynced, renamed over the target, folder fsynced).
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { fsyncDir, writeFileAtomic } from '@jobs/core/atomic-file';
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

/** fsyncs a directory so a rename or a file creation in it is durable (the suite's one, from @jobs/core). */
export { fsyncDir };

/**
 * Writes `value` as JSON to `path` atomically through the suite's one writer (temp 0600 +
 * fsync + rename + dir fsync); failures are MailError ESTATE.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  try {
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: STATE_FILE_MODE, mkdir: false });
  } catch (err) {
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

/**
 * Appends `value` as one JSON line to `path` and fsyncs it before returning: when this resolves,
 * the line survives a crash (a journal's "intent" must be on disk before the send it announces).
 * The file is created with mode 0600; the directory is fsynced when the file is new.
 */
export async function appendJsonLine(path: string, value: unknown): Promise<void> {
  const line = `${JSON.stringify(value)}\n`;
  try {
    const handle = await open(path, 'a', STATE_FILE_MODE);
    let created = false;
    try {
      created = (await handle.stat()).size === 0;
      // one write() call: a crash leaves at most a torn last line, never a line inside another
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await fsyncDir(dirname(path));
  } catch (err) {
    throw new MailError('ESTATE', `could not append to state file ${path}: check the state dir is writable`, {
      path,
      originalCode: errnoCode(err),
      cause: err,
    });
  }
}

/**
 * Reads a file written by `appendJsonLine`. A last line without its newline is a write torn by
 * a crash and is skipped (`torn: true`); any other line that does not parse is an ESTATE error.
 * A missing file reads as no lines.
 */
export async function readJsonLines(path: string): Promise<{ values: unknown[]; torn: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { values: [], torn: false };
    throw new MailError('ESTATE', `could not read state file ${path}`, { path, originalCode: errnoCode(err), cause: err });
  }
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const values: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch (err) {
      throw new MailError('ESTATE', `state file ${path} line ${i + 1} is not valid JSON: inspect or repair it`, {
        path,
        cause: err,
      });
    }
  }
  return { values, torn: last.trim() !== '' };
}
