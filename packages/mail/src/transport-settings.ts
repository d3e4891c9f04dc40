/**
 * A job's mailbox settings (host, port, TLS mode, login, timeout: the shape of the IMAP_* /
 * SMTP_* / LEAD_IMAP_* keys of repos.env) turned into the options of the IMAP source and the
 * SMTP sender, in one place for every job. `tls` is `tls` (implicit TLS), `starttls` (required:
 * a server that does not offer it is refused) or `none` (said on purpose, never a default).
 */
import type { ImapSourceOptions } from './imap/options.ts';
import type { SmtpSenderOptions } from './smtp/options.ts';

/** How a connection is protected. */
export type TlsMode = 'tls' | 'starttls' | 'none';

/** One server of a job, as its keys say. */
export interface ServerSettings {
  readonly host: string;
  readonly port?: number | undefined;
  readonly tls: TlsMode;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Connect, greeting and socket timeout, in seconds. */
  readonly timeoutSeconds: number;
}

/** The IMAP source's connection options for a job's settings; `extra` adds or overrides the rest. */
export function imapOptionsFrom(
  s: ServerSettings & { readonly user: string; readonly password: string },
  extra: Omit<Partial<ImapSourceOptions>, 'host' | 'user' | 'password'> = {},
): ImapSourceOptions {
  const ms = s.timeoutSeconds * 1000;
  return {
    host: s.host,
    ...(s.port ? { port: s.port } : {}),
    secure: s.tls === 'tls',
    ...(s.tls === 'starttls' ? { requireStartTls: true } : s.tls === 'none' ? { requireStartTls: false } : {}),
    user: s.user,
    password: s.password,
    connectionTimeoutMs: ms,
    greetingTimeoutMs: ms,
    socketTimeoutMs: ms,
    lockTimeoutMs: ms,
    ...extra,
  };
}

/** The SMTP sender's options for a job's settings; a login only when both user and password are set. */
export function smtpOptionsFrom(s: ServerSettings, extra: Omit<Partial<SmtpSenderOptions>, 'host'> = {}): SmtpSenderOptions {
  const ms = s.timeoutSeconds * 1000;
  return {
    host: s.host,
    ...(s.port ? { port: s.port } : {}),
    secure: s.tls === 'tls',
    requireTls: s.tls === 'starttls',
    ...(s.user && s.password ? { user: s.user, password: s.password } : {}),
    connectionTimeoutMs: ms,
    greetingTimeoutMs: ms,
    socketTimeoutMs: ms,
    ...extra,
  };
}
