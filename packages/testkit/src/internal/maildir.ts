/**
 * Writes Maildir++ folders the way dovecot's own maildir storage lays them out, so messages
 * can be loaded by file instead of by IMAP APPEND (thousands per second instead of dozens).
 */
import { closeSync, fchownSync, futimesSync, openSync, writeSync } from 'node:fs';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestkitError } from '../errors.ts';
import type { SystemUser } from './system-users.ts';

/** IMAP system flags that Maildir can store in a file name (RFC 3501 names). */
export type MaildirFlag = '\\Seen' | '\\Answered' | '\\Flagged' | '\\Deleted' | '\\Draft';

// The Maildir "info" letters, which must appear in ASCII order in the file name.
const FLAG_LETTERS: Record<MaildirFlag, string> = {
  '\\Draft': 'D',
  '\\Flagged': 'F',
  '\\Answered': 'R',
  '\\Seen': 'S',
  '\\Deleted': 'T',
};

/** The `:2,XYZ` suffix for a set of flags; throws ECONFIG on a flag Maildir cannot hold. */
export function maildirInfo(flags: readonly string[]): string {
  const letters = flags.map((flag) => {
    const letter = FLAG_LETTERS[flag as MaildirFlag];
    if (letter === undefined) {
      throw new TestkitError(
        'ECONFIG',
        `flags: ${JSON.stringify(flag)} cannot be written into a Maildir file name; use one of ` +
          `${Object.keys(FLAG_LETTERS).join(' ')} (set keywords over IMAP with STORE)`,
        { option: 'flags' },
      );
    }
    return letter;
  });
  return `:2,${[...new Set(letters)].sort().join('')}`;
}

/**
 * Directory of `mailbox` under one user's Maildir++ root: INBOX is the root itself, and
 * `A/B` is `.A.B` (Maildir++ always uses "." on disk, whatever the IMAP separator).
 */
export function mailboxDir(userRoot: string, mailbox: string, separator: string): string {
  if (mailbox.toUpperCase() === 'INBOX') return userRoot;
  // Names dovecot would escape (mUTF-7 "&", "." inside a level, "~", control characters)
  // are refused rather than guessed: create such mailboxes with createMailbox() over doveadm.
  const bad = separator === '/' ? /[^\x20-\x7e]|[.&~\\]/ : /[^\x20-\x7e]|[&~/\\]/;
  const parts = mailbox.split(separator);
  if (bad.test(mailbox) || parts.some((p) => p === '' || p.trim() !== p)) {
    throw new TestkitError(
      'ECONFIG',
      `mailbox: ${JSON.stringify(mailbox)} cannot be mapped to a Maildir++ folder by the harness; ` +
        'use printable ASCII names without "." "&" "~" or surrounding spaces',
      { option: 'mailbox' },
    );
  }
  return join(userRoot, `.${parts.join('.')}`);
}

/** Creates a directory (and parents) with mode 0700, owned by `owner`. */
export async function mkdirOwned(path: string, owner: SystemUser): Promise<void> {
  const created = await mkdir(path, { recursive: true, mode: 0o700 });
  // Mail processes run as the mail owner, not as us: hand over what we create.
  if (created !== undefined) await chown(path, owner.uid, owner.gid);
}

/** Creates a Maildir (cur/new/tmp) owned by `owner`; `folder` marks a Maildir++ subfolder. */
export async function ensureMaildir(dir: string, owner: SystemUser, folder: boolean): Promise<void> {
  await mkdirOwned(dir, owner);
  await Promise.all(['cur', 'new', 'tmp'].map((sub) => mkdirOwned(join(dir, sub), owner)));
  if (folder) {
    const marker = join(dir, 'maildirfolder');
    await writeFile(marker, '', { mode: 0o600, flag: 'a' });
    await chown(marker, owner.uid, owner.gid);
  }
}

/** One message to write. */
export interface MaildirMessage {
  raw: Buffer;
  flags: readonly string[];
  /** INTERNALDATE: dovecot takes it from the file's mtime. */
  internalDate?: Date | undefined;
}

/** Virtual size as IMAP counts it (every bare LF becomes CRLF). */
function virtualSize(raw: Buffer): number {
  let extra = 0;
  for (let i = raw.indexOf(10); i >= 0; i = raw.indexOf(10, i + 1)) {
    if (i === 0 || raw[i - 1] !== 13) extra++;
  }
  return raw.length + extra;
}

/** Where one message goes in a Maildir: `new` (no flags: dovecot reports it \\Recent) or `cur`. */
export interface MaildirName {
  sub: 'new' | 'cur';
  name: string;
}

/**
 * The file name of one message. `stamp` leads the name because dovecot gives UIDs to files it
 * has not seen in the order of that leading timestamp: distinct increasing stamps keep the
 * caller's order. S= and W= let dovecot skip reading the file for RFC822.SIZE.
 */
export function maildirName(message: MaildirMessage, stamp: number, seq: number): MaildirName {
  const base = `${stamp}.M${seq}P${process.pid}Q${seq}.testkit,S=${message.raw.length},W=${virtualSize(message.raw)}`;
  return message.flags.length === 0 ? { sub: 'new', name: base } : { sub: 'cur', name: `${base}${maildirInfo(message.flags)}` };
}

/**
 * Writes one message file, mode 0600 and owned by `owner` from its creation on. Synchronous on
 * purpose: the bulk path writes thousands of small files, and a synchronous loop is several
 * times faster than the same calls through the thread pool (the caller yields between chunks).
 */
export function writeMessageFileSync(path: string, message: MaildirMessage, owner: SystemUser): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchownSync(fd, owner.uid, owner.gid);
    writeSync(fd, message.raw);
    if (message.internalDate !== undefined) futimesSync(fd, message.internalDate, message.internalDate);
  } finally {
    closeSync(fd);
  }
}
