/**
 * Options of the IMAP source, their defaults and their validation. Defaults are sized for a
 * scheduled job, not for imapflow's interactive defaults (90 s connect, 5 min socket).
 */
import type { ConnectionOptions } from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { checkImapLogin } from '../auth/imap-login.ts';
import type { AccessTokenSource, TokenMechanism } from '../auth/token-source.ts';
import { MailError } from '../errors.ts';

export type { Logger } from '@jobs/core/logger';
/** The logger used when none is given (the suite's one). */
export { noopLogger };

/** Sleeps `ms`; resolves early (never rejects) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What `createImapSource` takes. Only host, user and a password or token source are required. */
export interface ImapSourceOptions {
  readonly host: string;
  /** Default 993 when `secure`, else 143. */
  readonly port?: number;
  /** Implicit TLS. Default true. */
  readonly secure?: boolean;
  /** With `secure: false`: require STARTTLS (true), refuse it (false) or take it when offered (unset). */
  readonly requireStartTls?: boolean;
  readonly user: string;
  /** The password; or, instead, `tokens` for an OAuth 2 login (XOAUTH2). */
  readonly password?: string;
  /** OAuth 2 access tokens, asked for at each connect (see auth/token-source.ts). */
  readonly tokens?: AccessTokenSource;
  /** SASL mechanism of a token login. Default XOAUTH2. */
  readonly tokenMechanism?: TokenMechanism;
  /** Extra TLS options (e.g. `{ rejectUnauthorized: false }` for a test server). */
  readonly tls?: ConnectionOptions;
  /** Mailbox read by `fetchSince`. Default 'INBOX'. */
  readonly mailbox?: string;
  /** Paths that override special-use detection, e.g. `{ sent: 'Sent Items' }`. */
  readonly folders?: { readonly sent?: string; readonly drafts?: string };
  /** TCP + TLS connect budget. Default 15 000. */
  readonly connectionTimeoutMs?: number;
  /** Wait for the server greeting. Default 10 000. */
  readonly greetingTimeoutMs?: number;
  /** Socket inactivity while a command is in flight. Default 60 000. */
  readonly socketTimeoutMs?: number;
  /** Wait for a mailbox lock. Default 30 000. */
  readonly lockTimeoutMs?: number;
  /** IDLE is broken and restarted after this long (IDLE is known to stop silently). Default 240 000. */
  readonly maxIdleTimeMs?: number;
  /** Messages above this size are not downloaded whole: headers and text parts only. Default 4 MiB. */
  readonly maxMessageBytes?: number;
  /** Cap on each text part of an oversized message. Default 1 MiB. */
  readonly maxTextPartBytes?: number;
  /** Bytes of small messages fetched per FETCH command. Default 4 MiB. */
  readonly batchBytes?: number;
  /**
   * When set, messages are fetched by their text plan (imap/text-plan.ts): BODYSTRUCTURE and the
   * header fields a digest reads, then at most this many bytes of the first inline text part.
   * Unset (0): whole messages. For readers that show the start of the text only.
   */
  readonly textPrefixBytes?: number;
  /** Connect attempts (first one included) on refused/dropped connections. Default 4. */
  readonly connectAttempts?: number;
  /** Backoff base delay. Default 500. */
  readonly backoffBaseMs?: number;
  /** Backoff ceiling. Default 10 000. */
  readonly backoffMaxMs?: number;
  /** Handled-message keys are kept this long in the checkpoint for UIDVALIDITY resyncs. Default 14 days. */
  readonly retainMs?: number;
  /** Cap on the keys kept in the checkpoint. Default 5000. */
  readonly maxRecent?: number;
  readonly logger?: Logger;
  readonly sleep?: Sleep;
  /** Random in [0, 1) for backoff jitter. */
  readonly random?: () => number;
  readonly now?: () => number;
}

/** Options with every default applied. */
export interface ResolvedImapOptions
  extends Required<Omit<ImapSourceOptions, 'tls' | 'requireStartTls' | 'folders' | 'password' | 'tokens' | 'tokenMechanism'>> {
  readonly password: string | undefined;
  readonly tokens: AccessTokenSource | undefined;
  readonly tokenMechanism: TokenMechanism | undefined;
  readonly tls: ConnectionOptions | undefined;
  readonly requireStartTls: boolean | undefined;
  readonly folders: { readonly sent?: string; readonly drafts?: string };
}

/** Real sleep, resolved early on abort. */
export const defaultSleep: Sleep = (ms, signal) =>
  delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new MailError('ECONFIG', `IMAP option ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new MailError('ECONFIG', `IMAP option ${name} must be a non-empty string, got ${typeof value}`);
  }
  return value;
}

/** Applies defaults and checks every option; throws ECONFIG naming the option and the value. */
export function resolveImapOptions(options: ImapSourceOptions): ResolvedImapOptions {
  if (typeof options !== 'object' || options === null) {
    throw new MailError('ECONFIG', 'IMAP options must be an object');
  }
  const secure = options.secure ?? true;
  const port = positive('port', options.port, secure ? 993 : 143);
  if (!Number.isInteger(port) || port > 65535) {
    throw new MailError('ECONFIG', `IMAP option port must be an integer 1-65535, got ${port}`);
  }
  const socketTimeoutMs = positive('socketTimeoutMs', options.socketTimeoutMs, 60_000);
  const maxMessageBytes = positive('maxMessageBytes', options.maxMessageBytes, 4 * 1024 * 1024);
  return {
    host: text('host', options.host),
    port,
    secure,
    requireStartTls: options.requireStartTls,
    user: text('user', options.user),
    ...checkedLogin(options),
    tls: options.tls,
    mailbox: options.mailbox === undefined ? 'INBOX' : text('mailbox', options.mailbox),
    folders: options.folders ?? {},
    connectionTimeoutMs: positive('connectionTimeoutMs', options.connectionTimeoutMs, 15_000),
    greetingTimeoutMs: positive('greetingTimeoutMs', options.greetingTimeoutMs, 10_000),
    socketTimeoutMs,
    lockTimeoutMs: positive('lockTimeoutMs', options.lockTimeoutMs, 30_000),
    maxIdleTimeMs: positive('maxIdleTimeMs', options.maxIdleTimeMs, 240_000),
    maxMessageBytes,
    maxTextPartBytes: positive('maxTextPartBytes', options.maxTextPartBytes, 1024 * 1024),
    batchBytes: positive('batchBytes', options.batchBytes, 4 * 1024 * 1024),
    textPrefixBytes: options.textPrefixBytes === undefined || options.textPrefixBytes === 0 ? 0 : Math.floor(positive('textPrefixBytes', options.textPrefixBytes, 0)),
    connectAttempts: Math.floor(positive('connectAttempts', options.connectAttempts, 4)),
    backoffBaseMs: positive('backoffBaseMs', options.backoffBaseMs, 500),
    backoffMaxMs: positive('backoffMaxMs', options.backoffMaxMs, 10_000),
    retainMs: positive('retainMs', options.retainMs, 14 * 24 * 3600 * 1000),
    maxRecent: Math.floor(positive('maxRecent', options.maxRecent, 5000)),
    logger: options.logger ?? noopLogger,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
}

function checkedLogin(o: ImapSourceOptions): { password: string | undefined; tokens: AccessTokenSource | undefined; tokenMechanism: TokenMechanism | undefined } {
  checkImapLogin(o);
  return { password: o.password, tokens: o.tokens, tokenMechanism: o.tokenMechanism };
}

/** Exponential backoff with jitter in [0.5, 1) of the step: attempt 1 waits about `base`. */
export function backoffMs(attempt: number, opts: ResolvedImapOptions): number {
  const step = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + opts.random() / 2));
}
