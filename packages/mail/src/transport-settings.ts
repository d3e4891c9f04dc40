/**
 * The one mapping from a mailbox's settings to the options of the IMAP source (imapflow) and
 * the SMTP sender (nodemailer), for every job and for `mailbox doctor`. Its input is one server
 * as the plain IMAP_* / SMTP_* / LEAD_* keys give it, or as resolveMailboxLogin
 * (auth/mailbox-login.ts) resolved it from a provider preset, a grant or a service account:
 * host, port, TLS mode, and a password or an access-token source. `tls` is `tls` (implicit
 * TLS), `starttls` (required: a server that does not offer it is refused) or `none` (said on
 * purpose, never a default).
 */
import type { AccessTokenSource } from './auth/token-source.ts';
import type { ImapSourceOptions } from './imap/options.ts';
import type { SmtpSenderOptions } from './smtp/options.ts';

/** How a connection is protected. */
export type TlsMode = 'tls' | 'starttls' | 'none';

/** One server of a job and how it logs in: a password, or tokens (OAuth 2), or neither (SMTP without AUTH). */
export interface ServerSettings {
  readonly host: string;
  readonly port?: number | undefined;
  readonly tls: TlsMode;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** OAuth 2 access tokens (XOAUTH2); wins over a password when both are there. */
  readonly tokens?: AccessTokenSource | undefined;
  /** Connect, greeting and socket timeout, in seconds. */
  readonly timeoutSeconds: number;
}

/** The login part: tokens when there are any, else the password; nothing without a user. */
function loginOf(s: ServerSettings): { user: string; tokens: AccessTokenSource } | { user: string; password: string } | Record<string, never> {
  if (s.user === undefined) return {};
  if (s.tokens !== undefined) return { user: s.user, tokens: s.tokens };
  return s.password === undefined ? {} : { user: s.user, password: s.password };
}

/** The TLS part of the IMAP options for a mode (imapflow: `secure`, and `doSTARTTLS` from requireStartTls). */
export function imapTls(tls: TlsMode): { secure: boolean; requireStartTls?: boolean } {
  return tls === 'tls' ? { secure: true } : { secure: false, requireStartTls: tls === 'starttls' };
}

/** The TLS part of the SMTP options for a mode. */
export function smtpTls(tls: TlsMode): { secure: boolean; requireTls: boolean } {
  return { secure: tls === 'tls', requireTls: tls === 'starttls' };
}

/**
 * The IMAP source's options for a server; `extra` adds or overrides the rest (mailbox,
 * folders, logger). A missing login is left for createImapSource to refuse (ECONFIG).
 */
export function imapOptionsFrom(
  s: ServerSettings & { readonly user: string },
  extra: Omit<Partial<ImapSourceOptions>, 'host' | 'user' | 'password' | 'tokens'> = {},
): ImapSourceOptions {
  const ms = s.timeoutSeconds * 1000;
  return {
    host: s.host,
    ...(s.port ? { port: s.port } : {}),
    ...imapTls(s.tls),
    ...loginOf(s),
    user: s.user,
    connectionTimeoutMs: ms,
    greetingTimeoutMs: ms,
    socketTimeoutMs: ms,
    lockTimeoutMs: ms,
    ...extra,
  } as ImapSourceOptions;
}

/** The SMTP sender's options for a server; AUTH only with a user and a password or tokens. */
export function smtpOptionsFrom(s: ServerSettings, extra: Omit<Partial<SmtpSenderOptions>, 'host' | 'user' | 'password' | 'tokens'> = {}): SmtpSenderOptions {
  const ms = s.timeoutSeconds * 1000;
  return {
    host: s.host,
    ...(s.port ? { port: s.port } : {}),
    ...smtpTls(s.tls),
    ...loginOf(s),
    connectionTimeoutMs: ms,
    greetingTimeoutMs: ms,
    socketTimeoutMs: ms,
    ...extra,
  };
}
