/**
 * A bounded directory walk shared by the session-log reader and the call-site audit: yields
 * regular files depth first in name order (stable output), never follows symbolic links (a link
 * back up the tree would loop), and skips the folders it is told to (node_modules, .git).
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Folder names never entered. */
  skipDirs?: ReadonlySet<string>;
  /** Deepest folder level entered below the root. Default 32. */
  maxDepth?: number;
}

/**
 * Yields the absolute path of every regular file under `root`. A missing root yields nothing;
 * an unreadable sub-folder is reported through `onError` and skipped.
 */
export async function* walkFiles(
  root: string,
  options: WalkOptions = {},
  onError: (path: string, err: unknown) => void = () => {},
): AsyncGenerator<string> {
  const skip = options.skipDirs ?? new Set<string>();
  const maxDepth = options.maxDepth ?? 32;
  async function* visit(dir: string, depth: number): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && depth === 0) return;
      onError(dir, err);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name) && depth < maxDepth) yield* visit(path, depth + 1);
      } else if (entry.isFile()) {
        yield path;
      }
    }
  }
  yield* visit(root, 0);
}
