/**
 * A real dovecot IMAP server for tests: a private instance in a temp dir with its own config,
 * `passwd-file` user, `base_dir` and Maildir++ store, listening on a free loopback port.
 * Messages are loaded by writing Maildir files directly (far faster than APPEND).
 *
 * @example
 * await using imap = await startDovecot();
 * await imap.deliver('INBOX', [rawMessage], { flags: ['\\Seen'] });
 * // new ImapFlow({ host: imap.host, port: imap.port, secure: false,
 * //               auth: { user: imap.user, pass: imap.password } })
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestkitError } from './errors.ts';
import { type DeliverInput, type DeliverOptions, type DeliverResult, Mailstore } from './internal/dovecot-mailstore.ts';
import { renderDovecotConfig, renderOAuth2Config, type SpecialUseMailbox } from './internal/dovecot-config.ts';
import { type DovecotProcess, spawnDovecot, spawnWatchdog } from './internal/dovecot-process.ts';
import { resolveDovecotSetup } from './internal/dovecot-setup.ts';
import { threadGroups } from './internal/imap-raw.ts';
import { freePort } from './internal/net.ts';
import { defaultTmpDir } from './internal/tmp-dir.ts';
import type { SystemUser } from './internal/system-users.ts';

export type { SpecialUseMailbox } from './internal/dovecot-config.ts';
export type { DeliverInput, DeliverOptions, DeliverResult } from './internal/dovecot-mailstore.ts';
export type { MaildirFlag } from './internal/maildir.ts';

/** The mailboxes every user gets by default, with their special-use flags (RFC 6154). */
export const DEFAULT_SPECIAL_USE: readonly SpecialUseMailbox[] = Object.freeze([
  { name: 'Drafts', use: '\\Drafts' },
  { name: 'Sent', use: '\\Sent' },
  { name: 'Trash', use: '\\Trash' },
  { name: 'Junk', use: '\\Junk' },
]);

/** Options of startDovecot(). Every field is optional. */
export interface DovecotOptions {
  /** IMAP login name. Default `test`. */
  user?: string;
  /** IMAP password. Default: random per instance. */
  password?: string;
  /** Hierarchy separator seen over IMAP. Default `/`. */
  separator?: '/' | '.';
  /** Special-use mailboxes (auto-created and subscribed). Default DEFAULT_SPECIAL_USE. */
  specialUse?: readonly SpecialUseMailbox[];
  /** The dovecot binary. Default `/usr/sbin/dovecot`. */
  binary?: string;
  /** The doveadm binary. Default `/usr/bin/doveadm`. */
  doveadmBinary?: string;
  /**
   * Where the instance's temp dir goes. Default `/dev/shm` when it is a writable tmpfs with
   * 1 GiB free (bulk Maildir writes are several times faster in RAM), else `os.tmpdir()`.
   */
  tmpDir?: string;
  /** How long to wait for the IMAP greeting. Default 10000 ms. */
  startTimeoutMs?: number;
  /** mail_debug and auth_debug in the log. Default false. */
  debug?: boolean;
  /** Raw dovecot.conf lines appended at the end (e.g. `imap_idle_notify_interval = 1s`). */
  extraConfig?: string;
  /**
   * Take OAuth 2 access tokens (SASL XOAUTH2 and OAUTHBEARER) through dovecot's `oauth2`
   * passdb, which asks `introspectionUrl` (RFC 7662, credentials in the URL) about each token:
   * dovecot itself accepts or refuses it. See startOAuthServer() for a server to point it at.
   */
  oauth2?: DovecotOAuth2Options;
}

/** The oauth2 passdb of startDovecot(). */
export interface DovecotOAuth2Options {
  /** e.g. OAuthServer.introspectionUrl: `http://id:secret@127.0.0.1:PORT/token/introspection`. */
  introspectionUrl: string;
  /** Introspection field that must equal the login name. Default `sub`. */
  usernameAttribute?: string;
  /** Offer PLAIN/LOGIN with the password as well. Default false: tokens only, as Microsoft 365 and Workspace. */
  passwords?: boolean;
}

/** A running dovecot instance. */
export interface Dovecot {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The instance's temp dir (config, log, base_dir, mail). */
  readonly rootDir: string;
  readonly configPath: string;
  readonly logPath: string;
  /** Process id of the dovecot master (its children share its process group). */
  readonly pid: number;
  /** Time from spawn to the IMAP greeting, in ms (for reports). */
  readonly startMs: number;
  /** Maildir directory of a mailbox (default INBOX) for the test user. */
  mailDir(mailbox?: string): string;
  /**
   * Writes messages as Maildir files into `mailbox` (created if missing), in order: UIDs follow
   * the array's order. Messages without flags land in new/ (\Recent), others in cur/.
   */
  deliver(mailbox: string, messages: readonly DeliverInput[], opts?: DeliverOptions): Promise<DeliverResult>;
  /** deliver() of every `*.eml` file of `dir`, sorted by file name. */
  deliverDir(mailbox: string, dir: string, opts?: DeliverOptions): Promise<DeliverResult>;
  /** Creates and subscribes a mailbox through doveadm (any name IMAP allows). */
  createMailbox(name: string): Promise<void>;
  /** Deletes a mailbox and its messages through doveadm. */
  deleteMailbox(name: string): Promise<void>;
  /**
   * Gives a mailbox a new UIDVALIDITY and new UIDs, keeping its messages and flags, as a
   * server does after a rebuild. Other mailboxes are deleted and created again (UIDs restart
   * at 1); INBOX, which cannot be deleted, is emptied, gets a new UIDVALIDITY, and is
   * refilled (UIDs continue above the old UIDNEXT).
   */
  recreateMailbox(name: string): Promise<void>;
  /** Current UIDVALIDITY of a mailbox (via doveadm). */
  uidValidity(name: string): Promise<number>;
  /**
   * Dovecot's own thread count for a mailbox: `UID THREAD REFERENCES UTF-8 ALL` over a raw IMAP
   * connection (imapflow has no THREAD command). The reference to compare a JWZ threader with.
   */
  threadReferences(mailbox: string, opts?: { timeoutMs?: number }): Promise<number>;
  /** The same threads as flat UID lists, in dovecot's order (for comparing memberships). */
  threadGroups(mailbox: string, opts?: { timeoutMs?: number }): Promise<number[][]>;
  /** Runs `doveadm -c CONF ...args` for this instance; `-u USER` is up to the caller. */
  doveadm(args: readonly string[]): Promise<string>;
  /** The instance's log so far. */
  readLog(): Promise<string>;
  /** Stops dovecot and removes the temp dir. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const live = new Map<ChildProcess, string>();
let exitHookInstalled = false;

// A test process that exits without close() (a failed assertion before the `await using`
// scope ends is fine; process.exit() in a worker is not) still stops its dovecots.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [child, rootDir] of live) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(rootDir, { recursive: true, force: true });
    }
  });
}

function checkOptions(opts: DovecotOptions): void {
  const name = (key: string, value: unknown): TestkitError =>
    new TestkitError('ECONFIG', `startDovecot: option ${key} is invalid: ${JSON.stringify(value)}`, {
      option: key,
    });
  if (opts.user !== undefined && !/^[A-Za-z0-9._@+-]{1,64}$/.test(opts.user)) throw name('user', opts.user);
  if (opts.password !== undefined && !/^[^\s:]{1,128}$/.test(opts.password)) {
    throw new TestkitError('ECONFIG', 'startDovecot: option password must be 1-128 characters without spaces or ":"', {
      option: 'password',
    });
  }
  if (opts.separator !== undefined && opts.separator !== '/' && opts.separator !== '.') {
    throw name('separator', opts.separator);
  }
  const timeout = opts.startTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) throw name('startTimeoutMs', timeout);
}

/** Starts a private dovecot; throws EDOVECOT_MISSING naming `apt-get install dovecot-imapd`. */
export async function startDovecot(opts: DovecotOptions = {}): Promise<Dovecot> {
  checkOptions(opts);
  const setup = await resolveDovecotSetup(opts.binary ?? '/usr/sbin/dovecot', opts.doveadmBinary ?? '/usr/bin/doveadm');
  const user = opts.user ?? 'test';
  const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const separator = opts.separator ?? '/';
  const host = '127.0.0.1';
  const id = randomBytes(6).toString('hex');
  const rootDir = join(opts.tmpDir ?? (await defaultTmpDir()), `testkit-dovecot-${id}`);
  // 0755: dovecot's unprivileged processes must traverse it; nothing secret lives at this level.
  await mkdir(rootDir, { mode: 0o755 });
  try {
    return await startIn(rootDir, { ...opts, user, password, separator, host, id, setup });
  } catch (error) {
    await rm(rootDir, { recursive: true, force: true });
    throw error;
  }
}

interface Resolved {
  user: string;
  password: string;
  separator: '/' | '.';
  host: string;
  id: string;
  setup: Awaited<ReturnType<typeof resolveDovecotSetup>>;
}

async function writeAuthFile(path: string, text: string, group: SystemUser): Promise<void> {
  // The auth process runs as the internal user: readable by its group, created 0640 from the start.
  const handle = await open(path, 'wx', 0o640);
  try {
    await handle.chown(process.getuid?.() ?? 0, group.gid);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

async function startIn(rootDir: string, o: DovecotOptions & Resolved): Promise<Dovecot> {
  const { setup } = o;
  const configPath = join(rootDir, 'dovecot.conf');
  const logPath = join(rootDir, 'dovecot.log');
  const passwdPath = join(rootDir, 'passwd');
  const mailRoot = join(rootDir, 'mail');
  const homeRoot = join(rootDir, 'home');
  await writeAuthFile(passwdPath, `${o.user}:{PLAIN}${o.password}::::::\n`, setup.internal);
  const oauth2ConfPath = o.oauth2 === undefined ? undefined : join(rootDir, 'dovecot-oauth2.conf.ext');
  if (o.oauth2 !== undefined && oauth2ConfPath !== undefined) {
    const text = renderOAuth2Config(o.oauth2.introspectionUrl, o.oauth2.usernameAttribute ?? 'sub');
    await writeAuthFile(oauth2ConfPath, text, setup.internal);
  }
  const store = new Mailstore({
    userRoot: join(mailRoot, o.user),
    separator: o.separator,
    owner: setup.mailOwner,
    parents: [mailRoot, homeRoot, join(homeRoot, o.user)],
  });
  await store.prepare();

  let attempt: Awaited<ReturnType<typeof spawnDovecot>> | undefined;
  let port = 0;
  const started = Date.now();
  for (let i = 0; i < 5; i++) {
    port = await freePort(o.host);
    const config = renderDovecotConfig({
      instanceName: `testkit-${o.id}`,
      baseDir: join(rootDir, 'run'),
      stateDir: join(rootDir, 'state'),
      logPath,
      host: o.host,
      port,
      passwdPath,
      mailRoot,
      homeRoot,
      separator: o.separator,
      specialUse: o.specialUse ?? DEFAULT_SPECIAL_USE,
      mailOwner: setup.mailOwner,
      loginUser: setup.loginUser,
      internalUser: setup.internal.name,
      internalGroup: setup.internalGroup,
      privileged: setup.privileged,
      debug: o.debug ?? false,
      extra: o.extraConfig ?? '',
      oauth2ConfPath,
      passwords: o.oauth2 === undefined ? true : (o.oauth2.passwords ?? false),
    });
    await writeFile(configPath, config, { mode: 0o644 });
    attempt = await spawnDovecot({
      binary: setup.binary,
      configPath,
      logPath,
      host: o.host,
      port,
      timeoutMs: o.startTimeoutMs ?? 10_000,
    });
    if (attempt.ok || !attempt.portInUse) break;
  }
  if (attempt === undefined || !attempt.ok) throw attempt?.error;
  const startMs = Date.now() - started;
  return buildHandle(attempt.process, { ...o, port, rootDir, configPath, logPath, store, startMs });
}

function buildHandle(
  proc: DovecotProcess,
  o: Resolved & { port: number; rootDir: string; configPath: string; logPath: string; store: Mailstore; startMs: number },
): Dovecot {
  installExitHook();
  live.set(proc.child, o.rootDir);
  const watchdog = spawnWatchdog(proc.child.pid!, o.rootDir);
  let closed: Promise<void> | undefined;
  const doveadm = (args: readonly string[]): Promise<string> => {
    if (closed !== undefined) return Promise.reject(new TestkitError('ECLOSED', 'dovecot: used after close()'));
    return o.setup.doveadm(o.configPath, args);
  };
  const admin = { doveadm, user: o.user };
  const threads = (mailbox: string, opts: { timeoutMs?: number } = {}): Promise<number[][]> => {
    if (closed !== undefined) return Promise.reject(new TestkitError('ECLOSED', 'dovecot: used after close()'));
    // Threading a big mailbox makes dovecot read every header once: allow a minute by default.
    return threadGroups(o, mailbox, opts.timeoutMs ?? 60_000);
  };

  const close = (): Promise<void> => {
    closed ??= (async () => {
      watchdog.kill('SIGKILL');
      live.delete(proc.child);
      // SIGTERM, not SIGKILL: the master then reaps its own children (a killed group would
      // leave zombies under init). Its shutdown takes ~1 s (a fixed wait for its log
      // process); we remove the files now and let it finish in the background.
      proc.child.kill('SIGTERM');
      await rm(o.rootDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return closed;
  };

  return {
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    rootDir: o.rootDir,
    configPath: o.configPath,
    logPath: o.logPath,
    pid: proc.child.pid!,
    startMs: o.startMs,
    mailDir: (mailbox = 'INBOX') => o.store.dir(mailbox),
    deliver: (mailbox, messages, opts) => o.store.deliver(mailbox, messages, opts),
    deliverDir: (mailbox, dir, opts) => o.store.deliverDir(mailbox, dir, opts),
    createMailbox: async (name) => {
      await doveadm(['mailbox', 'create', '-s', '-u', o.user, name]);
    },
    deleteMailbox: async (name) => {
      await doveadm(['mailbox', 'delete', '-s', '-u', o.user, name]);
    },
    recreateMailbox: (name) => o.store.recreate(name, admin),
    uidValidity: (name) => o.store.uidValidity(name, admin),
    threadReferences: async (mailbox, opts) => (await threads(mailbox, opts)).length,
    threadGroups: (mailbox, opts) => threads(mailbox, opts),
    doveadm,
    readLog: () => readFile(o.logPath, 'utf8').catch(() => ''),
    close,
    [Symbol.asyncDispose]: close,
  };
}
