// IMAP connection handling: reconnect with backoff after drops (real dovecot behind a proxy), a server that goes silent (timeout codes, no unhandled rejection), auth failures, option checks.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isMailError, type MailError } from '../../src/errors.ts';
import { createImapSource } from '../../src/imap/source.ts';
import { collect, type Dovecot, message, recordingSleep, sourceOptions, startDovecot } from '../support/imap.ts';
import { startImapProxy } from '@jobs/testkit/imap-proxy';

let imap: Dovecot;

beforeAll(async () => {
  imap = await startDovecot();
  await imap.deliver('INBOX', [message('c1@x'), message('c2@x'), message('c3@x')]);
});

afterAll(async () => {
  await imap?.close();
});

// Every test here also checks that nothing escaped as an unhandled rejection or exception.
const escaped: unknown[] = [];
const onEscape = (err: unknown) => escaped.push(err);
beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterEach(async () => {
  // let pending rejections surface before looking
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  expect(escaped).toEqual([]);
});

describe('reconnect', () => {
  it('rebuilds the connection with backoff after a drop in the middle of a FETCH and finishes the run', async () => {
    await using proxy = await startImapProxy(imap);
    const { sleep, waits } = recordingSleep();
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { sleep, backoffBaseMs: 100, random: () => 0.5 }),
    );
    const run = await source.fetchSince(undefined);
    // the body FETCH is cut; the next two connections are refused, the third one works
    proxy.dropOnClientLine(/UID FETCH .*BODY\.PEEK\[\]/);
    proxy.refuseNext(2);
    const got = await collect(run);
    expect(got.map((m) => m.messageId)).toEqual(['<c1@x>', '<c2@x>', '<c3@x>']);
    // one wait before running the FETCH again, then exponential waits between connect attempts
    // (jitter fixed at 0.75 of the step by random() = 0.5)
    expect(waits).toEqual([75, 75, 150]);
    expect(proxy.connections).toBe(4);
    expect(run.checkpoint().lastUid).toBe(3);
  });

  it('gives up after connectAttempts with a retryable ECONNECTION', async () => {
    await using proxy = await startImapProxy(imap);
    proxy.refuseNext(10);
    const { sleep, waits } = recordingSleep();
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { sleep, connectAttempts: 3, backoffBaseMs: 100 }),
    );
    const err = await source.fetchSince(undefined).catch((e: unknown) => e);
    expect(isMailError(err, 'ECONNECTION')).toBe(true);
    expect((err as MailError).retryable).toBe(true);
    expect(waits).toEqual([75, 150]);
    expect(proxy.connections).toBe(3);
  });

  it('refuses to be used after close()', async () => {
    const source = createImapSource(sourceOptions(imap));
    expect((await source.mailboxCapabilities()).path).toBe('INBOX');
    await source.close();
    const err = await source.mailboxCapabilities().catch((e: unknown) => e);
    expect(isMailError(err, 'ECONNECTION')).toBe(true);
  });
});

describe('authentication', () => {
  it('fails with EAUTH at once, not retried, and the message does not carry the password', async () => {
    const { sleep, waits } = recordingSleep();
    const password = 'wrong-Secret-4242';
    await using source = createImapSource(sourceOptions({ ...imap, password }, { sleep }));
    const err = await source.fetchSince(undefined).catch((e: unknown) => e);
    expect(isMailError(err, 'EAUTH')).toBe(true);
    expect((err as MailError).retryable).toBe(false);
    expect((err as Error).message).toContain('check the IMAP user and password');
    expect(JSON.stringify({ message: (err as Error).message, ...(err as object) })).not.toContain(password);
    expect(waits).toEqual([]);
  });
});

/**
 * A server that greets, answers LOGIN (or not, with `answerLogin: false`) and then reads
 * every command without ever answering: a hung IMAP backend behind a live socket.
 */
async function startSilentImap(options: { greet?: boolean; answerLogin?: boolean } = {}): Promise<{
  host: string;
  port: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (options.greet === false) return;
    socket.write('* OK [CAPABILITY IMAP4rev1 LITERAL+] silent test server ready\r\n');
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        const [tag, command] = line.split(' ');
        if (command?.toUpperCase() === 'LOGIN' && options.answerLogin !== false) {
          socket.write(`${tag} OK [CAPABILITY IMAP4rev1 LITERAL+] logged in\r\n`);
        } else if (line.endsWith('LIST "" ""') && options.answerLogin !== false) {
          // imapflow asks for the hierarchy delimiter as the last step of connect()
          socket.write(`* LIST (\\Noselect) "/" ""\r\n${tag} OK done\r\n`);
        }
        // anything else: silence
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    host: '127.0.0.1',
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a server that goes silent', () => {
  const timeouts = { connectionTimeoutMs: 2000, greetingTimeoutMs: 300, socketTimeoutMs: 300 };
  const cases = [
    { name: 'after LOGIN', server: {}, what: 'fetch plan' },
    { name: 'before answering LOGIN', server: { answerLogin: false }, what: 'connect' },
    { name: 'before its greeting', server: { greet: false }, what: 'connect' },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: ETIMEOUT within the configured timeouts, no retry, no unhandled rejection`, async () => {
      const silent = await startSilentImap(c.server);
      const { sleep, waits } = recordingSleep();
      const source = createImapSource(
        sourceOptions({ host: silent.host, port: silent.port, user: 'u', password: 'p' }, { sleep, ...timeouts }),
      );
      const started = performance.now();
      const err = await source.fetchSince(undefined).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      await source.close();
      await silent.close();
      expect(isMailError(err, 'ETIMEOUT')).toBe(true);
      expect((err as MailError).retryable).toBe(true);
      expect((err as Error).message).toContain(c.what);
      expect(waits).toEqual([]);
      // two timeouts at most (connect + one command), with room for a loaded machine
      expect(elapsed).toBeLessThan(5000);
    });
  }
});

describe('options', () => {
  it('are checked when the source is built, naming the option and the value', () => {
    const base = { host: '127.0.0.1', user: 'u', password: 'p' };
    const fail = (extra: object) => {
      try {
        createImapSource({ ...base, ...extra });
      } catch (err) {
        return err as MailError;
      }
      throw new Error('no error');
    };
    expect(fail({ port: 70000 }).message).toContain('port must be an integer 1-65535, got 70000');
    expect(fail({ socketTimeoutMs: -1 }).message).toContain('socketTimeoutMs must be a positive number, got -1');
    expect(fail({ host: '' }).code).toBe('ECONFIG');
    expect(fail({ mailbox: '' }).message).toContain('mailbox');
  });
});
