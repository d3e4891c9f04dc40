/**
 * Finds lines in shell start-up files that export a variable making the `claude` CLI
 * bill the API instead of the subscription. Reports file and line number, never the value.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The start-up files scanned, relative to HOME. */
export const SHELL_FILES: readonly string[] = Object.freeze([
  '.zshrc',
  '.bashrc',
  '.profile',
  '.bash_profile',
  '.zprofile',
  '.zshenv',
]);

/** One exporting line found. */
export interface ShellExport {
  file: string;
  line: number;
  name: string;
}

const VARS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];
// `export NAME=`, also after `;`/`&&`, and `declare -x` / `typeset -x`; not in comments.
const EXPORT_RE = new RegExp(
  `(?:^|[;&|]\\s*)(?:export|declare\\s+-x|typeset\\s+-x)\\s+(?:-\\w+\\s+)*(${VARS.join('|')})=`,
);

/** Scans the start-up files under `home`; missing files are skipped, unreadable ones warned about. */
export async function findShellExports(home: string): Promise<{ exports: ShellExport[]; warnings: string[] }> {
  const found: ShellExport[] = [];
  const warnings: string[] = [];
  for (const name of SHELL_FILES) {
    const file = join(home, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.push(`cannot read ${file} (${code ?? 'error'})`);
      continue;
    }
    text.split(/\r?\n/).forEach((raw, i) => {
      const code = raw.trimStart();
      if (code.startsWith('#')) return;
      const m = EXPORT_RE.exec(code);
      if (m?.[1]) found.push({ file, line: i + 1, name: m[1] });
    });
  }
  return { exports: found, warnings };
}
