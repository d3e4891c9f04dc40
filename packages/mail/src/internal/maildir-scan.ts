/**
 * Listing a Maildir (new/ and cur/, never tmp/) without touching it: readdir and stat only.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MailError } from '../errors.ts';

/** One message file found by a scan. */
export interface MaildirEntry {
  /** Absolute path at scan time. */
  readonly path: string;
  /** 'new' or 'cur'. */
  readonly sub: 'new' | 'cur';
  /** File name. */
  readonly name: string;
  /**
   * The unique part of the name (everything before the `:2,` info suffix; mbsync can be set to
   * write `;2,` or `!2,`). It survives the new/ -> cur/ move and flag changes, so it is the
   * message's identity in the checkpoint.
   */
  readonly key: string;
  /** Delivery time: the file's mtime (a rename to set flags does not change it). */
  readonly mtimeMs: number;
  readonly size: number;
}

/** The unique part of a Maildir file name. */
export function maildirKey(name: string): string {
  const info = /[:;!]2,/.exec(name);
  return info ? name.slice(0, info.index) : name;
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

async function listSub(dir: string, sub: 'new' | 'cur'): Promise<MaildirEntry[]> {
  const subdir = join(dir, sub);
  let names: string[];
  try {
    names = await readdir(subdir);
  } catch (err) {
    throw new MailError('ENOMAILBOX', `${subdir} cannot be read: is ${dir} a Maildir (with new/ and cur/)?`, {
      path: subdir,
      originalCode: (err as { code?: string }).code,
      cause: err,
    });
  }
  const entries: MaildirEntry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue; // editors' and MUAs' temp files
    const path = join(subdir, name);
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      entries.push({ path, sub, name, key: maildirKey(name), mtimeMs: st.mtimeMs, size: st.size });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Moved (new/ -> cur/) or deleted between readdir and stat: the other listing, or the
      // next scan, has it.
    }
  }
  return entries;
}

/**
 * Lists new/ and cur/, oldest delivery first (ties by name, whose leading number is the
 * delivery second). A key seen in both (a move raced the scan) is listed once.
 */
export async function scanMaildir(dir: string): Promise<MaildirEntry[]> {
  const [fresh, cur] = await Promise.all([listSub(dir, 'new'), listSub(dir, 'cur')]);
  const byKey = new Map<string, MaildirEntry>();
  for (const entry of [...cur, ...fresh]) if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
  return [...byKey.values()].sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Finds the current path of a key after its file moved (new/ -> cur/, flags changed). */
export async function relocate(dir: string, key: string): Promise<string | null> {
  for (const sub of ['cur', 'new'] as const) {
    try {
      const name = (await readdir(join(dir, sub))).find((n) => maildirKey(n) === key);
      if (name) return join(dir, sub, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return null;
}
