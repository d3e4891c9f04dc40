/**
 * The Maildir++ store behind one dovecot user: delivering by file, and the mailbox
 * operations that need both the files and doveadm (recreate, UIDVALIDITY).
 */
import { readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TestkitError } from '../errors.ts';
import { ensureMaildir, type MaildirMessage, mailboxDir, mkdirOwned } from './maildir.ts';
import { deliverBatch } from './maildir-deliver.ts';
import type { SystemUser } from './system-users.ts';

/** A message for deliver(): raw RFC 822 bytes or text, optionally with its own flags/date. */
export type DeliverInput =
  | Buffer
  | string
  | { raw: Buffer | string; flags?: readonly string[] | undefined; internalDate?: Date | undefined };

/** Defaults for every message of one deliver() call. */
export interface DeliverOptions {
  /** System flags, e.g. `['\\Seen']`. Default none (the message is new and \Recent). */
  flags?: readonly string[];
  /** INTERNALDATE (the file's mtime). Default now. */
  internalDate?: Date;
}

/** What deliver() wrote. */
export interface DeliverResult {
  count: number;
  /** Absolute paths of the files, in delivery order. */
  files: string[];
}

/** doveadm access for operations that must go through dovecot. */
export interface Admin {
  doveadm(args: readonly string[]): Promise<string>;
  user: string;
}

const INFO_FLAGS: Record<string, string> = { D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };

function toMaildirMessage(input: DeliverInput, opts: DeliverOptions): MaildirMessage {
  const item = typeof input === 'string' || Buffer.isBuffer(input) ? { raw: input } : input;
  const raw = typeof item.raw === 'string' ? Buffer.from(item.raw, 'utf8') : item.raw;
  if (!Buffer.isBuffer(raw)) {
    throw new TestkitError('ECONFIG', 'deliver: each message must be a Buffer, a string or { raw }', { option: 'messages' });
  }
  return {
    raw,
    flags: 'flags' in item && item.flags !== undefined ? item.flags : (opts.flags ?? []),
    internalDate: ('internalDate' in item ? item.internalDate : undefined) ?? opts.internalDate,
  };
}

/** One user's Maildir++ tree. */
export class Mailstore {
  readonly userRoot: string;
  readonly separator: string;
  readonly owner: SystemUser;
  readonly parents: readonly string[];
  // File names start with a timestamp that dovecot sorts new files by when it assigns UIDs:
  // one distinct, increasing stamp per message keeps UIDs in delivery order.
  private nextStamp = Math.floor(Date.now() / 1000);

  constructor(o: { userRoot: string; separator: string; owner: SystemUser; parents: readonly string[] }) {
    this.userRoot = o.userRoot;
    this.separator = o.separator;
    this.owner = o.owner;
    this.parents = o.parents;
  }

  /** Creates the parents and the INBOX Maildir, owned by the mail user. */
  async prepare(): Promise<void> {
    for (const dir of this.parents) await mkdirOwned(dir, this.owner);
    await ensureMaildir(this.userRoot, this.owner, false);
  }

  dir(mailbox: string): string {
    return mailboxDir(this.userRoot, mailbox, this.separator);
  }

  async deliver(mailbox: string, messages: readonly DeliverInput[], opts: DeliverOptions = {}): Promise<DeliverResult> {
    const dir = this.dir(mailbox);
    const items = messages.map((m) => toMaildirMessage(m, opts));
    await ensureMaildir(dir, this.owner, dir !== this.userRoot);
    const first = this.nextStamp;
    this.nextStamp += items.length;
    const files = await deliverBatch(dir, items, this.owner, first);
    return { count: items.length, files };
  }

  async deliverDir(mailbox: string, dir: string, opts: DeliverOptions = {}): Promise<DeliverResult> {
    const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.eml')).sort();
    const out: DeliverResult = { count: 0, files: [] };
    // Chunks keep memory flat for big folders while preserving the sorted order.
    for (let start = 0; start < names.length; start += 256) {
      const chunk = names.slice(start, start + 256);
      const raws = await Promise.all(chunk.map((n) => readFile(join(dir, n))));
      const result = await this.deliver(mailbox, raws, opts);
      out.count += result.count;
      out.files.push(...result.files);
    }
    return out;
  }

  async uidValidity(mailbox: string, admin: Admin): Promise<number> {
    const out = await admin.doveadm(['mailbox', 'status', '-u', admin.user, 'uidvalidity', mailbox]);
    const match = /uidvalidity=(\d+)/.exec(out);
    if (match?.[1] === undefined) {
      throw new TestkitError('EDOVEADM', `doveadm mailbox status printed no uidvalidity: ${out.trim()}`);
    }
    return Number(match[1]);
  }

  /** Messages of a mailbox in UID order, read into memory with their flags and dates. */
  private async snapshot(dir: string): Promise<{ path: string; message: MaildirMessage }[]> {
    const order = new Map<string, number>();
    const uidlist = await readFile(join(dir, 'dovecot-uidlist'), 'latin1').catch(() => '');
    for (const line of uidlist.split('\n').slice(1)) {
      const uid = Number.parseInt(line, 10);
      const colon = line.indexOf(' :');
      if (Number.isFinite(uid) && colon >= 0) order.set(line.slice(colon + 2), uid);
    }
    const entries: { path: string; base: string; info: string }[] = [];
    for (const sub of ['new', 'cur']) {
      for (const name of await readdir(join(dir, sub))) {
        const [base = name, info = ''] = name.split(':2,');
        entries.push({ path: join(dir, sub, name), base, info });
      }
    }
    const rank = (e: { base: string }): number => order.get(e.base) ?? Number.MAX_SAFE_INTEGER;
    entries.sort((a, b) => rank(a) - rank(b) || a.base.localeCompare(b.base, 'en', { numeric: true }));
    return Promise.all(
      entries.map(async (e) => ({
        path: e.path,
        message: {
          raw: await readFile(e.path),
          flags: [...e.info].map((c) => INFO_FLAGS[c]).filter((f): f is string => f !== undefined),
          internalDate: (await stat(e.path)).mtime,
        },
      })),
    );
  }

  async recreate(mailbox: string, admin: Admin): Promise<void> {
    const dir = this.dir(mailbox);
    const before = await this.uidValidity(mailbox, admin);
    const messages = await this.snapshot(dir);
    if (dir === this.userRoot) {
      // INBOX cannot be deleted: empty it, let dovecot notice, then bump UIDVALIDITY.
      await Promise.all(messages.map((m) => unlink(m.path)));
      await admin.doveadm(['force-resync', '-u', admin.user, mailbox]);
      const next = Math.max(before + 1, Math.floor(Date.now() / 1000));
      await admin.doveadm(['mailbox', 'update', '-u', admin.user, '--uid-validity', String(next), mailbox]);
    } else {
      await admin.doveadm(['mailbox', 'delete', '-u', admin.user, mailbox]);
      await rm(dir, { recursive: true, force: true });
      await admin.doveadm(['mailbox', 'create', '-s', '-u', admin.user, mailbox]);
    }
    await this.deliver(mailbox, messages.map((m) => m.message));
  }
}
