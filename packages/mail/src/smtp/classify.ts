/**
 * Turns a nodemailer error into a MailError by `code`, `responseCode` and `command` (never the
 * message text), knowing how far the transaction got: a connection lost after the whole body
 * was handed over, before the server's reply, is EUNKNOWN_DELIVERY.
 */
import { MailError, type MailErrorCode } from '../errors.ts';

interface NodemailerErrorFields {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  permanent?: unknown;
}

/** How far the SMTP transaction got when the error came. */
export interface SendProgress {
  /** The server answered DATA with 354 and the body started to flow. */
  readonly bodyStarted: boolean;
  /** The whole body (and so, right after, the final dot) went to the connection. */
  readonly bodyEnded: boolean;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'EREQUIRETLS', 'EPROTOCOL', 'EPROXY']);

/** The MailError code for a nodemailer error at `progress`. */
export function smtpErrorCode(err: unknown, progress: SendProgress): MailErrorCode {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerErrorFields;
  const code = typeof e.code === 'string' ? e.code : '';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'EOAUTH2') {
    // 454 4.7.0 "temporary authentication failure": the credentials were not judged, retry later
    return responseCode !== undefined && responseCode >= 400 && responseCode < 500 ? 'ETEMP' : 'EAUTH';
  }
  // no reply after the body: the server may have queued the message and its 250 was lost
  if (progress.bodyEnded && responseCode === undefined) return 'EUNKNOWN_DELIVERY';
  if (responseCode !== undefined) {
    if (responseCode >= 400 && responseCode < 500) return 'ETEMP';
    if (responseCode >= 500 && responseCode < 600) {
      // nodemailer marks 503 (bad sequence) as not permanent: a new session may succeed
      return e.permanent === false ? 'ETEMP' : 'EPERM_SMTP';
    }
  }
  if (code === 'ETIMEDOUT') return 'ETIMEOUT';
  if (CONNECTION_CODES.has(code)) return 'ECONNECTION';
  // EENVELOPE / EMESSAGE without a reply: refused before sending (bad address, over SIZE)
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'EMAXRECIPIENTS') return 'EPERM_SMTP';
  return 'ECONNECTION';
}

const ADVICE: Record<string, string> = {
  EAUTH: 'the SMTP server refused the credentials: check the SMTP user and password; stop the run',
  EUNKNOWN_DELIVERY:
    'the connection was lost after the message was sent and before the server answered: it may have been delivered; do not resend, look for it in Sent or hold it for a person',
  ETEMP: 'the server refused for now: try again on a later run',
  EPERM_SMTP: 'the server refused the message for good: do not retry it as is',
  ETIMEOUT: 'the SMTP server did not answer in time: try again on a later run',
  ECONNECTION: 'the SMTP connection failed before the message was sent: try again on a later run',
};

/** Wraps a nodemailer error. */
export function toSmtpError(err: unknown, progress: SendProgress, messageId?: string): MailError {
  if (err instanceof MailError) return err;
  const code = smtpErrorCode(err, progress);
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerErrorFields;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply = responseCode === undefined ? '' : ` (${responseCode})`;
  return new MailError(code, `SMTP send failed${reply}: ${ADVICE[code] ?? 'see the cause'}`, {
    command: typeof e.command === 'string' ? e.command : undefined,
    responseCode,
    originalCode: typeof e.code === 'string' ? e.code : undefined,
    messageId,
    cause: err,
  });
}
