/**
 * Whether the `claude` CLI's stored login file holds a claude.ai OAuth credential (the
 * subscription's last-resort auth path). The file's content is never returned.
 */
import { readFile } from 'node:fs/promises';

/** Presence of the login in `file`, and a warning when the file exists but cannot be used. */
export async function readStoredLogin(file: string): Promise<{ file: string; present: boolean; warning?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, present: false };
    return { file, present: false, warning: `cannot read ${file} (${code ?? 'error'})` };
  }
  try {
    const json = JSON.parse(text) as { claudeAiOauth?: unknown };
    const o = json?.claudeAiOauth as { accessToken?: unknown; refreshToken?: unknown } | undefined;
    const present = !!o && typeof o === 'object' && (typeof o.accessToken === 'string' || typeof o.refreshToken === 'string');
    return { file, present };
  } catch {
    return { file, present: false, warning: `${file} is not valid JSON; run claude /login again` };
  }
}
