// SMTP sender against a real smtp-server (testkit capture): threaded replies with a pre-chosen Message-ID, one recipient, no pool and no resend after a drop, error classes, secrets kept out of errors.
import { createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { type SmtpCapture, startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isMailError, type MailError } from '../../src/errors.ts';
import { startImapProxy } from '@jobs/testkit/imap-proxy';
import { createMessageId, createSmtpSender, type OutgoingMessage, replySubject, type SmtpSenderOptions } from '../../src/smtp/sender.ts';

let smtp: SmtpCapture;

beforeAll(async () => {
  smtp = await startSmtpCapture();
});

afterAll(async () => {
  await smtp?.close();
});

beforeEach(() => {
  smtp.acceptAll();
  smtp.clear();
});

const NOW = Date.parse('2026-11-23T09:30:00Z');

function senderOptions(extra: Partial<SmtpSenderOptions> = {}): SmtpSenderOptions {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: false,
    user: smtp.user,
    password: smtp.password,
    connectionTimeoutMs: 5000,
    greetingTimeoutMs: 5000,
    socketTimeoutMs: 5000,
    now: () => NOW,
    ...extra,
  };
}

function reply(extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    from: { name: "Carole's Garden Design", address: 'hello@carole.example' },
    to: 'dana@example.com',
    subject: replySubject('RE: Re: Roof garden quote'),
    text: 'Thank you for your message. We can visit on Tuesday.',
    messageId: createMessageId('carole.example', () => 'reply-0001'),
    inReplyTo: '<lead-42@example.com>',
    references: ['<thread-1@example.com>', '<lead-42@example.com>'],
    autoSubmitted: 'auto-replied',
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<MailError> {
  const err = await p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!isMailError(err)) throw err;
  return err;
}

describe('send', () => {
  it('sends a threaded reply with the Message-ID chosen before sending, and returns the exact bytes', async () => {
    const sender = createSmtpSender(senderOptions());
    const result = await sender.send(reply());
    expect(result.messageId).toBe('<reply-0001@carole.example>');
    expect(result.response).toMatch(/^250 /);
    expect(result.accepted).toEqual(['dana@example.com']);

    const [got] = await smtp.waitFor(1);
    expect(got?.envelope).toEqual({ from: 'hello@carole.example', to: ['dana@example.com'] });
    expect(got?.raw.equals(result.raw)).toBe(true);
    const parsed = got?.parsed;
    expect(parsed?.messageId).toBe('<reply-0001@carole.example>');
    expect(parsed?.inReplyTo).toBe('<lead-42@example.com>');
    expect(parsed?.references).toEqual(['<thread-1@example.com>', '<lead-42@example.com>']);
    expect(parsed?.subject).toBe('Re: Roof garden quote');
    expect(parsed?.date?.getTime()).toBe(NOW);
    expect(parsed?.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed?.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed?.text?.trim()).toBe('Thank you for your message. We can visit on Tuesday.');
  });

  it('marks a digest auto-generated, without threading headers', async () => {
    const sender = createSmtpSender(senderOptions());
    await sender.send({
      from: 'digest@carole.example',
      to: 'carole@carole.example',
      subject: 'Your mail digest',
      text: 'Three threads need a reply.',
      html: '<p>Three threads need a reply.</p>',
      messageId: '<digest-2026-11-23-am@carole.example>',
      autoSubmitted: 'auto-generated',
    });
    const [got] = await smtp.waitFor(1);
    expect(got?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(got?.parsed.inReplyTo).toBeUndefined();
    expect(got?.parsed.html).toContain('<p>Three threads need a reply.</p>');
  });

  it('refuses anything but exactly one recipient, before connecting', async () => {
    const sender = createSmtpSender(senderOptions());
    for (const to of ['dana@example.com, eve@example.com', 'dana@example.com;eve@example.com', ''] as const) {
      expect((await failure(sender.send(reply({ to })))).code).toBe('ECONFIG');
    }
    const many = ['dana@example.com', 'eve@example.com'] as unknown as string;
    expect((await failure(sender.send(reply({ to: many })))).code).toBe('ECONFIG');
    const composed = { raw: Buffer.from('x'), messageId: '<m@x>', envelope: { from: 'a@x.example', to: 'b@x.example,c@x.example' } };
    expect((await failure(sender.sendComposed(composed))).code).toBe('ECONFIG');
    expect(smtp.messages.length + smtp.rejected.length + smtp.dropped.length).toBe(0);
  });

  it('refuses a Message-ID, In-Reply-To or header value that could inject headers', async () => {
    const sender = createSmtpSender(senderOptions());
    expect((await failure(sender.send(reply({ messageId: 'no-brackets@x' })))).message).toContain('messageId');
    expect((await failure(sender.send(reply({ inReplyTo: '<a@x>\r\nBcc: eve@example.com' })))).code).toBe('ECONFIG');
    expect((await failure(sender.send(reply({ subject: 'Hi\r\nBcc: eve@example.com' })))).code).toBe('ECONFIG');
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('no pool, no resend', () => {
  it('opens one connection per message and closes it (nothing pooled)', async () => {
    await using proxy = await startImapProxy(smtp);
    const sender = createSmtpSender(senderOptions({ host: proxy.host, port: proxy.port }));
    await sender.send(reply({ messageId: '<p1@carole.example>' }));
    await sender.send(reply({ messageId: '<p2@carole.example>' }));
    expect(proxy.connections).toBe(2);
    expect(smtp.messages.map((m) => m.parsed.messageId)).toEqual(['<p1@carole.example>', '<p2@carole.example>']);
  });

  it('a connection dropped after DATA, before the 250, is "unknown outcome" and is never sent again', async () => {
    await using proxy = await startImapProxy(smtp);
    const sender = createSmtpSender(senderOptions({ host: proxy.host, port: proxy.port }));
    smtp.script({ kind: 'drop' });
    const err = await failure(sender.send(reply({ messageId: '<dropped@carole.example>' })));
    expect(err.code).toBe('EUNKNOWN_DELIVERY');
    expect(err.retryable).toBe(false);
    expect(err.messageId).toBe('<dropped@carole.example>');
    expect(err.message).toContain('do not resend');
    expect(smtp.dropped.map((m) => m.parsed.messageId)).toEqual(['<dropped@carole.example>']);

    // the next send goes through and the dropped message is not replayed with it
    await sender.send(reply({ messageId: '<next@carole.example>' }));
    expect(smtp.messages.map((m) => m.parsed.messageId)).toEqual(['<next@carole.example>']);
    expect(smtp.dropped).toHaveLength(1);
    expect(proxy.connections).toBe(2);
  });
});

describe('error classes', () => {
  const cases = [
    { fault: { kind: 'reject', at: 'data', code: 451 }, code: 'ETEMP', retryable: true, responseCode: 451 },
    { fault: { kind: 'reject', at: 'mail', code: 452 }, code: 'ETEMP', retryable: true, responseCode: 452 },
    { fault: { kind: 'reject', at: 'rcpt', code: 450 }, code: 'ETEMP', retryable: true, responseCode: 450 },
    { fault: { kind: 'reject', at: 'data', code: 554 }, code: 'EPERM_SMTP', retryable: false, responseCode: 554 },
    { fault: { kind: 'reject', at: 'rcpt', code: 550 }, code: 'EPERM_SMTP', retryable: false, responseCode: 550 },
    { fault: { kind: 'reject', at: 'auth', code: 454 }, code: 'ETEMP', retryable: true, responseCode: 454 },
  ] as const;
  for (const c of cases) {
    it(`${c.fault.code} at ${c.fault.at} is ${c.code} (retryable: ${c.retryable})`, async () => {
      smtp.script(c.fault);
      const err = await failure(createSmtpSender(senderOptions()).send(reply()));
      expect(err.code).toBe(c.code);
      expect(err.retryable).toBe(c.retryable);
      expect(err.responseCode).toBe(c.responseCode);
      expect(smtp.messages).toHaveLength(0);
    });
  }

  it('a refused connection is ECONNECTION, retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(createSmtpSender(senderOptions({ port })).send(reply()));
    expect(err.code).toBe('ECONNECTION');
    expect(err.retryable).toBe(true);
  });

  it('a server that never greets is ETIMEOUT within greetingTimeoutMs', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = performance.now();
      const err = await failure(createSmtpSender(senderOptions({ port, greetingTimeoutMs: 300 })).send(reply()));
      expect(err.code).toBe('ETIMEOUT');
      expect(err.retryable).toBe(true);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refused credentials are EAUTH, final, with a clear message and no password anywhere in the error', async () => {
    const password = 'Not-The-Password-7731';
    const sender = createSmtpSender(senderOptions({ password }));
    for (const attempt of [() => sender.send(reply()), () => sender.verify()]) {
      const err = await failure(attempt());
      expect(err.code).toBe('EAUTH');
      expect(err.retryable).toBe(false);
      expect(err.responseCode).toBe(535);
      expect(err.message).toContain('check the SMTP user and password');
      expect(inspect(err, { depth: 10 })).not.toContain(password);
      expect(JSON.stringify(err)).not.toContain(password);
    }
    expect(smtp.messages).toHaveLength(0);
  });

  it('verify() passes with good credentials', async () => {
    await expect(createSmtpSender(senderOptions()).verify()).resolves.toBeUndefined();
  });
});

describe('options', () => {
  it('are checked when the sender is built, naming the option and the value', () => {
    const fail = (o: SmtpSenderOptions) => {
      try {
        createSmtpSender(o);
      } catch (err) {
        return err as MailError;
      }
      throw new Error('no error');
    };
    expect(fail({ host: '' }).message).toContain('host must be a non-empty string');
    expect(fail({ host: 'h', port: 0 }).message).toContain('port must be a positive number, got 0');
    expect(fail({ host: 'h', user: 'u' }).message).toContain('user and password must be given together');
    expect(fail({ host: 'h', socketTimeoutMs: Number.NaN }).code).toBe('ECONFIG');
  });
});
