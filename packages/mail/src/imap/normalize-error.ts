/**
 * Turns whatever imapflow (or the socket under it) throws into a MailError, by `code` and the
 * flags imapflow sets (`authenticationFailed`, `mailboxMissing`), never by message text.
 */
import { MailError, type MailErrorCode } from '../errors.ts';
import { isThrottleAnswer } from './throttle.ts';

interface ImapErrorFields {
  code?: unknown;
  authenticationFailed?: unknown;
  mailboxMissing?: unknown;
  serverResponseCode?: unknown;
  responseStatus?: unknown;
  response?: unknown;
  responseText?: unknown;
  command?: unknown;
}

const TIMEOUT_CODES = new Set([
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'ETIMEDOUT',
]);

const CONNECTION_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'StateLogout',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** What a foreign IMAP error means for us. */
export function imapErrorCode(err: unknown): MailErrorCode {
  if (err instanceof MailError) return err.code;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ImapErrorFields;
  const code = typeof e.code === 'string' ? e.code : '';
  // Before EAUTH: Microsoft 365 throttles AUTHENTICATE with a NO that imapflow marks as a refusal.
  if (isThrottleAnswer(e)) return 'ETEMP';
  if (e.authenticationFailed === true || e.serverResponseCode === 'AUTHENTICATIONFAILED') return 'EAUTH';
  if (TIMEOUT_CODES.has(code)) return 'ETIMEOUT';
  if (code === 'LockTimeout') return 'ELOCKED';
  if (CONNECTION_CODES.has(code)) return 'ECONNECTION';
  if (code === 'ETHROTTLE' || e.serverResponseCode === 'UNAVAILABLE' || e.serverResponseCode === 'INUSE') {
    return 'ETEMP';
  }
  if (e.mailboxMissing === true || e.serverResponseCode === 'NONEXISTENT') return 'ENOMAILBOX';
  return 'EIMAP';
}

const ADVICE: Partial<Record<MailErrorCode, string>> = {
  EAUTH: 'check the IMAP user and password',
  ETIMEOUT: 'the server did not answer in time; the next run will retry',
  ECONNECTION: 'the connection failed or was lost; the next run will retry',
  ELOCKED: 'the mailbox lock was not granted in time; the next run will retry',
  ETEMP: 'the server is busy; the next run will retry',
  ENOMAILBOX: 'check the mailbox name',
};

/** Wraps `err` in a MailError with `what` as context ("fetching INBOX"). */
export function toImapError(err: unknown, what: string, mailbox?: string): MailError {
  if (err instanceof MailError) return err;
  const code = imapErrorCode(err);
  const e = (typeof err === 'object' && err !== null ? err : {}) as ImapErrorFields;
  const advice = ADVICE[code] ?? 'see the cause for the server response';
  return new MailError(code, `IMAP ${what} failed (${code}): ${advice}`, {
    originalCode: typeof e.code === 'string' ? e.code : undefined,
    command: typeof e.command === 'string' ? e.command : undefined,
    mailbox,
    cause: err,
  });
}

/** True for errors after which a new connection may succeed (the old one is gone). */
export function isConnectionLoss(err: unknown): boolean {
  return imapErrorCode(err) === 'ECONNECTION';
}
