/**
 * Reads a Workspace service account's JSON key file (`*_OAUTH_SERVICE_ACCOUNT_FILE`). The file
 * holds a private key: like repos.env and a grant file it must not be readable by group or
 * others (refused, naming the chmod that fixes it), and nothing of its content ever reaches an
 * error message (a JSON syntax error quotes the text it choked on, so that error is dropped).
 * The mode is checked on the opened file, so a file swapped between check and read is the one judged.
 */
import { open } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { MailError } from '../errors.ts';
import { createServiceAccountTokenSource, parseServiceAccountKey, type ServiceAccountKey } from './service-account.ts';
import type { AccessTokenSource } from './token-source.ts';

/** Where the key file is named and how to find it. */
export interface ServiceAccountFileOptions {
  /** The path as repos.env gives it; a relative one is taken from `baseDir`. */
  readonly path: string;
  /** The folder a relative path is resolved against (the repos.env file's folder). */
  readonly baseDir: string;
  /** The key that named it, for messages: `IMAP_OAUTH_SERVICE_ACCOUNT_FILE`. */
  readonly keyName: string;
  /** Told the private key, so the caller's redactor hides it from then on. */
  readonly onSecret?: ((secret: string) => void) | undefined;
  /** `process.platform`; POSIX modes mean nothing on win32. */
  readonly platform?: string | undefined;
}

/** The parsed key; ECONFIG (exit 78) when missing, loose, not JSON or not a service account key. */
export async function readServiceAccountFile(o: ServiceAccountFileOptions): Promise<ServiceAccountKey> {
  const path = isAbsolute(o.path) ? o.path : resolve(o.baseDir, o.path);
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw new MailError('ECONFIG', `${o.keyName}: cannot read ${path}`, { path, cause: err });
  });
  let raw: string;
  try {
    const info = await handle.stat();
    if ((o.platform ?? process.platform) !== 'win32' && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
      throw new MailError('ECONFIG', `${o.keyName}: ${path} is readable by others (mode ${mode}): run chmod 600 ${path}`, { path });
    }
    raw = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // no cause: the syntax error quotes the file's text, and the text holds the private key
    throw new MailError('ECONFIG', `${o.keyName}: ${path} is not JSON (a service account key file is the JSON Google Cloud gives)`, { path });
  }
  const key = parseServiceAccountKey(parsed, `${o.keyName}: ${path}`);
  o.onSecret?.(key.private_key);
  return key;
}

/**
 * Reads the key file and returns the token source for `subject` (the mailbox user): JWT bearer
 * against the key's `token_uri`, scope default https://mail.google.com/. What every job with a
 * `*_OAUTH_SERVICE_ACCOUNT_FILE` key uses (through resolveMailboxLogin, or alone for an SMTP-only job).
 */
export async function serviceAccountFileTokenSource(
  o: ServiceAccountFileOptions & { subject: string; account: string; scope?: string | undefined; now?: () => number; fetch?: typeof fetch },
): Promise<AccessTokenSource> {
  const key = await readServiceAccountFile(o);
  return createServiceAccountTokenSource({
    key,
    subject: o.subject,
    account: o.account,
    scope: o.scope ?? 'https://mail.google.com/',
    ...(o.onSecret ? { onSecret: o.onSecret } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
}
