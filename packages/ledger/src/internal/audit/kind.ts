/** Which files the audit reads, and as what language. */
import { basename, extname } from 'node:path';

/** The languages the audit understands. */
export type SourceKind = 'shell' | 'python' | 'js';

const BY_EXT: Record<string, SourceKind> = {
  '.sh': 'shell',
  '.bash': 'shell',
  '.zsh': 'shell',
  '.py': 'python',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.ts': 'js',
  '.tsx': 'js',
  '.mts': 'js',
  '.cts': 'js',
  '.jsx': 'js',
};

/** Shell start-up files (dotted in a home folder, undotted in a dotfiles repository). */
const STARTUP = new Set(
  ['bashrc', 'bash_profile', 'bash_login', 'bash_logout', 'profile', 'zshrc', 'zshenv', 'zprofile', 'zlogin'].flatMap((n) => [
    n,
    `.${n}`,
  ]),
);

/** True for a shell start-up file name (~/.bashrc, ~/.zshrc, ~/.profile, ...). */
export function isStartupFile(path: string): boolean {
  return STARTUP.has(basename(path));
}

/** The kind of a file by its name; `undefined` means "look at the shebang" or "not ours". */
export function kindByName(path: string): SourceKind | undefined {
  if (isStartupFile(path)) return 'shell';
  return BY_EXT[extname(path).toLowerCase()];
}

/** The kind of an extension-less script by its `#!` line. */
export function kindByShebang(firstLine: string): SourceKind | undefined {
  if (!firstLine.startsWith('#!')) return undefined;
  if (/\b(ba|z|da|k)?sh\b/.test(firstLine)) return 'shell';
  if (/\bpython[\d.]*\b/.test(firstLine)) return 'python';
  if (/\b(node|tsx|deno|bun)\b/.test(firstLine)) return 'js';
  return undefined;
}
