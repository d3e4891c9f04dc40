/**
 * The SMTP sender: one connection per message (connect, AUTH, MAIL/RCPT/DATA, QUIT) through
 * nodemailer's SMTPConnection, with no pool and no requeue. nodemailer's pooled transport
 * re-sends a message whose connection dropped mid-send (maxRequeues is unlimited by default),
 * which for us is a duplicate reply. Here a send is attempted once; the caller decides.
 *
 * The body is handed over as a stream whose progress we watch, so a connection lost after
 * the body went out and before the reply is told apart (EUNKNOWN_DELIVERY) from one lost
 * before (ECONNECTION, safe to retry).
 */
import { Readable } from 'node:stream';
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { smtpTokenLogin } from '../auth/smtp-login.ts';
import { MailError } from '../errors.ts';
import { type SendProgress, toSmtpError } from './classify.ts';
import { type ComposedMessage, composeMessage, type OutgoingMessage } from './compose.ts';
import { resolveSmtpOptions, type SmtpSenderOptions } from './options.ts';

export type { AddressInput, ComposedMessage, OutgoingMessage } from './compose.ts';
export { composeMessage, createMessageId, replySubject } from './compose.ts';
export type { Logger, SmtpSenderOptions } from './options.ts';

/** What a successful send returns. */
export interface SendResult {
  readonly messageId: string;
  /** The server's final reply (`250 2.0.0 Ok: queued as ...`). */
  readonly response: string;
  readonly accepted: readonly string[];
  /** The exact bytes sent: APPEND them to Sent for an identical copy. */
  readonly raw: Buffer;
}

/** See the module comment. */
export interface SmtpSender {
  /** Composes and sends. Throws MailError (EAUTH, ETEMP, EPERM_SMTP, EUNKNOWN_DELIVERY, ...). */
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Sends bytes composed earlier (e.g. by `composeMessage`). */
  sendComposed(message: ComposedMessage): Promise<SendResult>;
  /** Connects and authenticates, then quits: fails fast with EAUTH before any work. */
  verify(): Promise<void>;
}

/** A body stream that records when SMTPConnection starts and finishes reading it. */
class TrackedBody extends Readable {
  started = false;
  ended = false;
  #data: Buffer | null;
  constructor(data: Buffer) {
    super();
    this.#data = data;
    this.once('end', () => {
      this.ended = true;
    });
  }
  override _read(): void {
    const data = this.#data;
    this.#data = null;
    this.push(data);
    if (data) this.push(null);
  }
  // SMTPConnection pipes the message only after the server's 354 to DATA
  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    this.started = true;
    return super.pipe(destination, options);
  }
}

function call<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    fn((err, value) => (err ? reject(err) : resolve(value)));
  });
}

/**
 * Rejects with the connection's first 'error'. SMTPConnection reports a failure during
 * connect() (refused, greeting timeout, EHLO refused) or login() only as an 'error' event,
 * never through their callbacks: without this race those steps would wait forever.
 */
function failureOf(conn: SMTPConnection): Promise<never> {
  const failed = new Promise<never>((_resolve, reject) => {
    conn.once('error', reject);
    conn.once('end', () => reject(Object.assign(new Error('SMTP connection closed'), { code: 'ECONNECTION' })));
  });
  failed.catch(() => undefined); // raced below; unobserved once the session is over
  return failed;
}

/** Builds a sender; options are checked now (ECONFIG). */
export function createSmtpSender(options: SmtpSenderOptions): SmtpSender {
  const opts = resolveSmtpOptions(options);

  function open(): SMTPConnection {
    const conn = new SMTPConnection({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      requireTLS: opts.requireTls,
      ignoreTLS: false,
      connectionTimeout: opts.connectionTimeoutMs,
      greetingTimeout: opts.greetingTimeoutMs,
      socketTimeout: opts.socketTimeoutMs,
      logger: false,
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.tls ? { tls: opts.tls } : {}),
    });
    // SMTPConnection emits 'error' besides failing the callback; unheard, it would end the process
    conn.on('error', (err: Error) => opts.logger.debug({ err }, 'SMTP connection error'));
    return conn;
  }

  async function session<T>(work: (conn: SMTPConnection) => Promise<T>, progress: SendProgress, messageId?: string): Promise<T> {
    const conn = open();
    const failed = failureOf(conn);
    const step = <T>(p: Promise<T>): Promise<T> => Promise.race([p, failed]);
    try {
      await step(call<void>((cb) => conn.connect((err) => cb(err))));
      const auth = opts.auth;
      if (auth) {
        const credentials = 'tokens' in auth ? await step(smtpTokenLogin(auth.user, auth.tokens)) : auth;
        await step(call<boolean>((cb) => conn.login(credentials as Parameters<SMTPConnection['login']>[0], cb)));
      }
      const result = await step(work(conn));
      conn.quit();
      return result;
    } catch (err) {
      throw toSmtpError(err, progress, messageId);
    } finally {
      conn.close();
    }
  }

  async function sendComposed(message: ComposedMessage): Promise<SendResult> {
    // one recipient per message, also for bytes composed elsewhere
    if (typeof message?.envelope?.to !== 'string' || !/^[^\s,;<>]+@[^\s,;<>]+$/.test(message.envelope.to)) {
      throw new MailError('ECONFIG', `envelope.to must be exactly one address, got ${JSON.stringify(message?.envelope?.to)}`);
    }
    const started = opts.now();
    const body = new TrackedBody(message.raw);
    const progress: SendProgress = {
      get bodyStarted() {
        return body.started;
      },
      get bodyEnded() {
        return body.ended;
      },
    };
    try {
      const info = await session(
        (conn) =>
          call<SMTPConnectionSendInfo>((cb) =>
            conn.send({ from: message.envelope.from, to: [message.envelope.to] }, body, (err, value) => cb(err, value)),
          ),
        progress,
        message.messageId,
      );
      if (!info) throw new MailError('ECONNECTION', 'SMTP send ended without a result', { messageId: message.messageId });
      opts.logger.info({ messageId: message.messageId, durationMs: opts.now() - started }, 'SMTP message accepted');
      return { messageId: message.messageId, response: info.response, accepted: info.accepted, raw: message.raw };
    } catch (err) {
      const e = err as MailError;
      opts.logger.warn({ code: e.code, responseCode: e.responseCode, messageId: message.messageId }, 'SMTP send failed');
      throw err;
    }
  }

  return {
    async send(message) {
      return sendComposed(await composeMessage(message, new Date(opts.now())));
    },
    sendComposed,
    async verify() {
      await session(async () => undefined, { bodyStarted: false, bodyEnded: false });
    },
  };
}
