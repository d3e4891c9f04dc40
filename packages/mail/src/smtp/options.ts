/** Options of the SMTP sender, defaults sized for a job, and their validation. */
import type { ConnectionOptions } from 'node:tls';
import { type Logger, noopLogger } from '@jobs/core/logger';
import type { AccessTokenSource } from '../auth/token-source.ts';
import { MailError } from '../errors.ts';

export type { Logger } from '@jobs/core/logger';

/** What `createSmtpSender` takes. */
export interface SmtpSenderOptions {
  readonly host: string;
  /** Default 465 when `secure`, else 587. */
  readonly port?: number;
  /** Implicit TLS. Default: true when port is 465. */
  readonly secure?: boolean;
  /** With `secure: false`, require STARTTLS. Default false (a loopback test server has none). */
  readonly requireTls?: boolean;
  /** With password or tokens; neither of the three for no AUTH. */
  readonly user?: string;
  readonly password?: string;
  /** OAuth 2 access tokens for AUTH XOAUTH2, asked for at each session (instead of password). */
  readonly tokens?: AccessTokenSource;
  readonly tls?: ConnectionOptions;
  /** EHLO name. Default: nodemailer's (the host name). */
  readonly name?: string;
  /** TCP + TLS connect. Default 15 000. */
  readonly connectionTimeoutMs?: number;
  /** Server greeting. Default 10 000. */
  readonly greetingTimeoutMs?: number;
  /** Socket inactivity, also the wait for the reply after DATA. Default 60 000. */
  readonly socketTimeoutMs?: number;
  readonly logger?: Logger;
  /** Clock for the Date header. */
  readonly now?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedSmtpOptions {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTls: boolean;
  readonly auth: { readonly user: string; readonly pass: string } | { readonly user: string; readonly tokens: AccessTokenSource } | undefined;
  readonly tls: ConnectionOptions | undefined;
  readonly name: string | undefined;
  readonly connectionTimeoutMs: number;
  readonly greetingTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly logger: Logger;
  readonly now: () => number;
}


function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new MailError('ECONFIG', `SMTP option ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function smtpAuth(o: SmtpSenderOptions): ResolvedSmtpOptions['auth'] {
  if (o.user === undefined) return undefined;
  if (o.tokens !== undefined) return { user: o.user, tokens: o.tokens };
  return o.password === undefined ? undefined : { user: o.user, pass: o.password };
}

/** Applies defaults; throws ECONFIG naming the option and the value. */
export function resolveSmtpOptions(options: SmtpSenderOptions): ResolvedSmtpOptions {
  if (typeof options?.host !== 'string' || options.host === '') {
    throw new MailError('ECONFIG', `SMTP option host must be a non-empty string, got ${JSON.stringify(options?.host)}`);
  }
  const secure = options.secure ?? options.port === 465;
  const port = positive('port', options.port, secure ? 465 : 587);
  if (!Number.isInteger(port) || port > 65535) {
    throw new MailError('ECONFIG', `SMTP option port must be an integer 1-65535, got ${port}`);
  }
  const secrets = (options.password === undefined ? 0 : 1) + (options.tokens === undefined ? 0 : 1);
  if ((options.user === undefined) !== (secrets === 0) || secrets > 1) {
    throw new MailError('ECONFIG', 'SMTP options user and password must be given together (or user and tokens, for OAuth 2), not both password and tokens');
  }
  return {
    host: options.host,
    port,
    secure,
    requireTls: options.requireTls ?? false,
    auth: smtpAuth(options),
    tls: options.tls,
    name: options.name,
    connectionTimeoutMs: positive('connectionTimeoutMs', options.connectionTimeoutMs, 15_000),
    greetingTimeoutMs: positive('greetingTimeoutMs', options.greetingTimeoutMs, 10_000),
    socketTimeoutMs: positive('socketTimeoutMs', options.socketTimeoutMs, 60_000),
    logger: options.logger ?? noopLogger,
    now: options.now ?? Date.now,
  };
}
