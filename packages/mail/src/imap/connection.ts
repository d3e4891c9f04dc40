/**
 * One logical IMAP connection over a series of ImapFlow clients. imapflow's traps handled here:
 * - an 'error' listener is attached before connect(): without one a socket timeout is an
 *   unhandled 'error' event that kills the process;
 * - a closed client is never reused: every reconnect builds a new ImapFlow;
 * - timeouts sized for a job (imapflow defaults: 90 s connect, 5 min socket);
 * - getMailboxLock always with an acquire timeout, released in `finally`.
 */
import { EventEmitter } from 'node:events';
import { ImapFlow, type MailboxObject } from 'imapflow';
import { type ImapFlowAuth, imapFlowAuth } from '../auth/imap-login.ts';
import { MailError } from '../errors.ts';
import { imapErrorCode, toImapError } from './normalize-error.ts';
import { backoffMs, type ResolvedImapOptions } from './options.ts';

/** Events: 'exists' ({ path, count, prevCount }) and 'close' (a client went away). */
export class ImapConnection extends EventEmitter {
  readonly #opts: ResolvedImapOptions;
  #client: ImapFlow | null = null;
  #connecting: Promise<ImapFlow> | null = null;
  #closed = false;
  #generation = 0;
  readonly #lastError = new WeakMap<ImapFlow, unknown>();

  constructor(opts: ResolvedImapOptions) {
    super();
    this.#opts = opts;
  }

  /** Increments each time a new client is connected (lets callers notice a reconnect). */
  get generation(): number {
    return this.#generation;
  }

  /** The connected client, if there is a usable one right now. */
  get current(): ImapFlow | null {
    const c = this.#client;
    return c?.usable && !c.isClosed ? c : null;
  }

  /** A usable client: the current one, or a new one connected with backoff. */
  async client(): Promise<ImapFlow> {
    if (this.#closed) {
      throw new MailError('ECONNECTION', 'the IMAP source was closed: build a new one');
    }
    const current = this.current;
    if (current) return current;
    this.#client = null;
    if (!this.#connecting) {
      this.#connecting = this.#connectWithBackoff().finally(() => {
        this.#connecting = null;
      });
    }
    return this.#connecting;
  }

  /**
   * Runs `op` with a usable client. When the connection is lost and the operation is
   * idempotent (fetch, search, store flags), a new client is built and `op` runs again, up to
   * `connectAttempts` times. Timeouts are not retried here: a silent server would multiply the
   * run time; they surface as ETIMEOUT for the next run.
   */
  async run<T>(
    what: string,
    op: (client: ImapFlow) => Promise<T>,
    options: { idempotent: boolean; mailbox?: string },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.client();
      try {
        return await op(client);
      } catch (err) {
        const error = this.#normalize(err, client, what, options.mailbox);
        if (error.code === 'ECONNECTION' || error.code === 'ETIMEOUT') this.#discard(client);
        // ETEMP: a throttling answer (Microsoft 365); the same command later is fine.
        const again = (error.code === 'ECONNECTION' || error.code === 'ETEMP') && options.idempotent && !this.#closed;
        if (!again || attempt >= this.#opts.connectAttempts) throw error;
        const wait = backoffMs(attempt, this.#opts);
        this.#opts.logger.warn({ err: error, attempt, waitMs: wait }, `IMAP ${what}: connection lost, reconnecting`);
        await this.#opts.sleep(wait);
      }
    }
  }

  /**
   * Selects `path` under imapflow's mailbox lock (acquire timeout, released in finally) and
   * runs `fn` with the selected mailbox. Do not call another locking method inside `fn`:
   * imapflow's locks are not reentrant.
   *
   * imapflow's getMailboxLock does not SELECT a mailbox that is already selected, so the
   * UIDNEXT and UIDVALIDITY it holds are those of the first SELECT (EXISTS is updated, the
   * others are not). `fresh` SELECTs again, for callers that decide on those values.
   */
  async withMailbox<T>(
    client: ImapFlow,
    path: string,
    fn: (mailbox: MailboxObject) => Promise<T>,
    options: { fresh?: boolean } = {},
  ): Promise<T> {
    const before = client.mailbox ? client.mailbox.path : null;
    const lock = await client.getMailboxLock(path, { acquireTimeout: this.#opts.lockTimeoutMs });
    try {
      // selected before the lock: the lock did not SELECT it, its UIDNEXT may be stale
      if (options.fresh && before === lock.path) await client.mailboxOpen(lock.path);
      const mailbox = client.mailbox;
      if (!mailbox) throw new MailError('EIMAP', `mailbox ${path} is not selected after its lock was granted`);
      return await fn(mailbox);
    } finally {
      lock.release();
    }
  }

  /** Logs out (bounded by a short wait) and closes; the connection can not be used again. */
  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client ?? (await this.#connecting?.catch(() => null)) ?? null;
    this.#client = null;
    if (!client) return;
    if (client.usable && !this.#lastError.has(client)) {
      const ac = new AbortController();
      await Promise.race([client.logout().catch(() => undefined), this.#opts.sleep(2000, ac.signal)]);
      ac.abort();
    }
    client.close();
  }

  async #connectWithBackoff(): Promise<ImapFlow> {
    const { host, port, connectAttempts, logger } = this.#opts;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const client = this.#build(await imapFlowAuth(this.#opts, refreshed));
      try {
        await client.connect();
        this.#client = client;
        this.#generation++;
        logger.debug({ host, port, generation: this.#generation }, 'IMAP connected');
        return client;
      } catch (err) {
        client.close();
        const error = toImapError(err, `connect to ${host}:${port}`);
        // A refused access token (expired early, or replaced): one more try with a refreshed one.
        if (error.code === 'EAUTH' && this.#opts.tokens !== undefined && !refreshed && !this.#closed) {
          refreshed = true;
          logger.warn({ err: error }, 'IMAP refused the access token, refreshing it once');
          continue;
        }
        const later = error.code === 'ECONNECTION' || error.code === 'ETEMP';
        if (!later || attempt >= connectAttempts || this.#closed) throw error;
        const wait = backoffMs(attempt, this.#opts);
        logger.warn({ err: error, attempt, waitMs: wait }, 'IMAP connect failed, retrying');
        await this.#opts.sleep(wait);
      }
    }
  }

  #build(auth: ImapFlowAuth): ImapFlow {
    const o = this.#opts;
    const client = new ImapFlow({
      host: o.host,
      port: o.port,
      secure: o.secure,
      auth,
      logger: false,
      connectionTimeout: o.connectionTimeoutMs,
      greetingTimeout: o.greetingTimeoutMs,
      socketTimeout: o.socketTimeoutMs,
      maxIdleTime: o.maxIdleTimeMs,
      // a header or text part is capped by us; this bounds what a broken server can make us buffer
      maxLiteralSize: Math.max(o.maxMessageBytes, o.batchBytes) * 2 + 1024 * 1024,
      ...(o.tls ? { tls: o.tls } : {}),
      ...(o.requireStartTls === undefined ? {} : { doSTARTTLS: o.requireStartTls }),
    });
    // Attached before connect(): ImapFlow emits 'error' (socket timeout, reset) at any time and
    // an EventEmitter 'error' without a listener throws, which would end the process.
    client.on('error', (err: Error) => {
      this.#lastError.set(client, err);
      o.logger.warn({ err, code: imapErrorCode(err) }, 'IMAP connection error');
    });
    client.on('close', () => {
      if (this.#client === client) this.#client = null;
      this.emit('close');
    });
    client.on('exists', (event) => this.emit('exists', event));
    return client;
  }

  #discard(client: ImapFlow): void {
    if (this.#client === client) this.#client = null;
    if (!client.isClosed) client.close();
  }

  #normalize(err: unknown, client: ImapFlow, what: string, mailbox?: string): MailError {
    // A command cut off by a socket timeout rejects with a generic "connection closed"; the
    // client's 'error' event carries the real reason, which callers need (ETIMEOUT vs drop).
    const emitted = this.#lastError.get(client);
    if (imapErrorCode(err) === 'ECONNECTION' && emitted !== undefined && imapErrorCode(emitted) === 'ETIMEOUT') {
      return toImapError(emitted, what, mailbox);
    }
    return toImapError(err, what, mailbox);
  }
}
