/**
 * An SMTP server for tests on the `smtp-server` package: it keeps every message it is given
 * (raw bytes, envelope, and mailparser's ParsedMail), checks AUTH PLAIN/LOGIN against one
 * user, and replays scripted faults per mail transaction (4xx/5xx at AUTH, MAIL FROM, RCPT TO
 * or end of DATA; a dropped connection after DATA; latency before the 250).
 *
 * @example
 * await using smtp = await startSmtpCapture();
 * smtp.script({ kind: 'reject', at: 'data', code: 451 });   // first transaction: 451
 * // nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false,
 * //   ignoreTLS: true, auth: { user: smtp.user, pass: smtp.password } })
 * const [msg] = await smtp.waitFor(1);
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { TestkitError } from './errors.ts';
import { type CaptureList, CaptureLists } from './internal/capture-lists.ts';
import { checkSmtpOptions, type SmtpCaptureOptions } from './internal/smtp-options.ts';
import { checkCode, defaultReplyText, FaultBook, type SmtpFault, type SmtpRefuseStage } from './internal/smtp-faults.ts';
import { noopLogger } from '@jobs/core/logger';
import { checkXOAuth2, smtpAuthMethods } from './internal/smtp-oauth.ts';

export type { CaptureList } from './internal/capture-lists.ts';
export type { Logger } from '@jobs/core/logger';
export type { SmtpFault, SmtpRefuseStage, SmtpStage } from './internal/smtp-faults.ts';
export type { SmtpAuthMode, SmtpCaptureOptions } from './internal/smtp-options.ts';
export type { FileSent, SmtpOAuth2Options } from './internal/smtp-oauth.ts';

/** One message the server read in full. */
export interface CapturedMessage {
  /** The SMTP envelope (MAIL FROM / RCPT TO), not the headers. `from` is '' for the null sender. */
  envelope: { from: string; to: string[] };
  /** The DATA bytes exactly as received (dot-unstuffed, final CRLF.CRLF removed). */
  raw: Buffer;
  /** mailparser's view of `raw`. */
  parsed: ParsedMail;
  /** The login that sent it, or null without AUTH. */
  user: string | null;
  /** When DATA ended, from the injected clock (ms). */
  at: number;
}

/** A running capture server. */
export interface SmtpCapture {
  /** Always a loopback address (default `127.0.0.1`). */
  readonly host: string;
  readonly port: number;
  /** `smtp://HOST:PORT` (no credentials in it). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Messages answered with 250, in order. */
  readonly messages: CapturedMessage[];
  /** Messages read in full whose connection was then dropped by a `drop` fault (never answered). */
  readonly dropped: CapturedMessage[];
  /** Messages read in full and refused at the end of DATA (script or refuseAll). */
  readonly rejected: CapturedMessage[];
  /** Resolves with the list once it holds `count` messages; ETIMEOUT after `timeoutMs` (default 5000). */
  waitFor(count: number, opts?: { timeoutMs?: number; list?: CaptureList }): Promise<CapturedMessage[]>;
  /** Queues faults, one per coming transaction (an `at: 'auth'` fault: per AUTH command). */
  script(...faults: SmtpFault[]): void;
  /** Scripted faults not consumed yet. */
  pendingFaults(): number;
  /** Refuses every connection (`at: 'connect'`, the default) or transaction stage with `code` until acceptAll(). */
  refuseAll(code?: number, opts?: { at?: SmtpRefuseStage; message?: string }): void;
  /** Lifts refuseAll() and drops the scripted faults not consumed yet. */
  acceptAll(): void;
  /** Empties messages, dropped and rejected (faults are kept). */
  clear(): void;
  /** Stops listening and destroys open connections. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** An error the smtp-server callbacks turn into `code message`. */
function reply(code: number, message: string | undefined): Error & { responseCode: number } {
  return Object.assign(new Error(message ?? defaultReplyText(code)), { responseCode: code });
}

/** Starts the capture server on a free loopback port. */
export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const o = checkSmtpOptions(options);
  const user = o.user ?? 'test';
  const password = o.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const authMode = o.auth ?? 'required';
  const now = o.now ?? Date.now;
  const log = o.logger ?? noopLogger;
  const abort = new AbortController();
  const sleep = o.sleep ?? ((ms: number) => delay(ms, undefined, { signal: abort.signal }));
  const book = new FaultBook();
  const captured = new CaptureLists<CapturedMessage>();
  const sockets = new Map<number, Socket>();
  const wait = async (ms: number | undefined): Promise<void> => {
    if (ms !== undefined && ms > 0) await sleep(ms);
  };
  const record = (list: CaptureList, message: CapturedMessage): void => captured.record(list, message);
  const refused = (stage: SmtpRefuseStage): Error | undefined =>
    book.refusal?.at === stage ? reply(book.refusal.code, book.refusal.message) : undefined;

  const server = new SMTPServer({
    logger: false,
    // No TLS at all: STARTTLS would make nodemailer upgrade to the built-in test certificate.
    disabledCommands: authMode === 'none' ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: authMode !== 'required',
    authMethods: smtpAuthMethods(o.oauth2),
    disableReverseLookup: true,
    closeTimeout: 1000,
    onConnect(_session, callback) {
      callback(refused('connect') ?? null);
    },
    onAuth(auth, session, callback) {
      const fault = refused('auth') === undefined ? book.takeAuthFault() : undefined;
      void (async () => {
        const refusal = refused('auth');
        if (refusal !== undefined) return callback(refusal);
        if (fault?.kind === 'reject') {
          await wait(fault.latencyMs);
          return callback(reply(fault.code, fault.message));
        }
        if (auth.method === 'XOAUTH2' && o.oauth2 !== undefined) {
          const verdict = await checkXOAuth2(o.oauth2, auth.username ?? '', auth.accessToken ?? '');
          if (verdict.ok) return callback(null, { user: auth.username });
          return callback(null, { data: verdict.data });
        }
        if (auth.method !== 'XOAUTH2' && auth.username === user && auth.password === password) {
          log.debug({ session: session.id, method: auth.method }, 'smtp-capture: authenticated');
          return callback(null, { user });
        }
        callback(reply(535, undefined));
      })().catch((error: unknown) => callback(error as Error));
    },
    onMailFrom(_address, session, callback) {
      if (book.refusal !== undefined) {
        // A standing refusal leaves the script untouched: it applies once acceptAll() is called.
        book.end(session.id);
        return callback(refused('mail') ?? null);
      }
      const fault = book.begin(session.id);
      if (fault.kind !== 'reject' || fault.at !== 'mail') return callback();
      wait(fault.latencyMs).then(
        () => callback(reply(fault.code, fault.message)),
        (error: unknown) => callback(error as Error),
      );
    },
    onRcptTo(address, session, callback) {
      void (async () => {
        const refusal = refused('rcpt');
        if (refusal !== undefined) return callback(refusal);
        const fault = book.of(session.id);
        const hit =
          fault.kind === 'reject' &&
          fault.at === 'rcpt' &&
          (fault.recipient === undefined || fault.recipient.toLowerCase() === address.address.toLowerCase());
        if (hit) {
          await wait(fault.latencyMs);
          return callback(reply(fault.code, fault.message));
        }
        callback();
      })().catch((error: unknown) => callback(error as Error));
    },
    onData(stream, session, callback) {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const fault = book.of(session.id);
        book.end(session.id);
        const message = await capture(Buffer.concat(chunks), session);
        const refusal = refused('data');
        if (refusal !== undefined) {
          record('rejected', message);
          return callback(refusal);
        }
        await wait(fault.latencyMs);
        if (fault.kind === 'drop') {
          record('dropped', message);
          log.debug({ session: session.id }, 'smtp-capture: dropping the connection after DATA');
          sockets.get(session.remotePort)?.destroy();
          return;
        }
        if (fault.kind === 'reject' && fault.at === 'data') {
          record('rejected', message);
          return callback(reply(fault.code, fault.message));
        }
        if (o.fileSent !== undefined) {
          const filed = await o.fileSent(message.raw, message.user).then(() => undefined, (error: unknown) => error);
          if (filed !== undefined) {
            log.warn({ err: filed }, 'smtp-capture: could not file the message into Sent');
            record('rejected', message);
            return callback(reply(451, '4.3.0 could not file the message into Sent'));
          }
        }
        record('messages', message);
        callback(null, `2.0.0 Ok: queued as ${session.id}.${session.transaction}`);
      })().catch((error: unknown) => {
        log.error({ err: error, session: session.id }, 'smtp-capture: could not take the message');
        callback(reply(554, `5.6.0 smtp-capture could not parse the message: ${(error as Error).message}`));
      });
    },
    onClose(session) {
      book.end(session.id);
    },
  });

  const capture = async (raw: Buffer, session: SMTPServerSession): Promise<CapturedMessage> => {
    const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
    return {
      envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
      raw,
      parsed: await simpleParser(raw),
      user: typeof session.user === 'string' ? session.user : null,
      at: now(),
    };
  };

  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  server.on('error', (error) => log.warn({ err: error }, 'smtp-capture: server error'));
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closed !== undefined) return closed;
    closed = new Promise<void>((resolve) => server.close(() => resolve()));
    abort.abort();
    captured.close();
    for (const socket of sockets.values()) socket.destroy();
    return closed;
  };

  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    user,
    password,
    messages: captured.lists.messages,
    dropped: captured.lists.dropped,
    rejected: captured.lists.rejected,
    waitFor: (count, opts = {}) => captured.waitFor(count, opts.list ?? 'messages', opts.timeoutMs ?? 5000),
    script: (...faults) => book.push(faults),
    pendingFaults: () => book.pending,
    refuseAll: (code = 554, opts = {}) => {
      const at = opts.at ?? 'connect';
      if (!['connect', 'auth', 'mail', 'rcpt', 'data'].includes(at)) {
        throw new TestkitError('ECONFIG', `refuseAll: at must be connect, auth, mail, rcpt or data, got ${JSON.stringify(at)}`, {
          option: 'at',
        });
      }
      book.refusal = { code: checkCode(code, 'refuseAll code'), at, message: opts.message ?? defaultReplyText(code) };
    },
    acceptAll: () => book.reset(),
    clear: () => captured.clear(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
