// Covers @jobs/testkit/smtp-capture: capture with parsed messages, AUTH modes, every scripted fault
// (reject at AUTH/MAIL/RCPT/DATA, drop after DATA, latency), refuseAll, waitFor and close, driven by nodemailer.
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { TestkitError } from '../src/errors.ts';
import { type SmtpCapture, startSmtpCapture } from '../src/smtp-capture.ts';

type SendError = Error & { code?: string; responseCode?: number; response?: string };

function transport(smtp: SmtpCapture, auth: { user: string; pass: string } | null = { user: smtp.user, pass: smtp.password }, extra = {}) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
    ...(auth === null ? {} : { auth }),
    connectionTimeout: 5000,
    socketTimeout: 5000,
    ...extra,
  });
}

const mail = (n: number, to: string | string[] = 'carole@example.test') => ({
  from: 'digest@example.test',
  to,
  subject: `Test ${n}`,
  text: `Body ${n}\n`,
  messageId: `<m${n}@example.test>`,
});

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise;
  } catch (error) {
    return error as SendError;
  }
  throw new Error('expected the send to fail');
}

describe('capture', () => {
  it('keeps raw bytes, envelope, parsed mail, login and the injected time', async () => {
    await using smtp = await startSmtpCapture({ now: () => 1234 });
    const info = await transport(smtp).sendMail(mail(1, ['carole@example.test', 'dana@example.test']));
    expect(info.response).toMatch(/^250 /);
    const [msg] = await smtp.waitFor(1);
    expect(msg?.envelope).toEqual({ from: 'digest@example.test', to: ['carole@example.test', 'dana@example.test'] });
    expect(msg?.parsed.subject).toBe('Test 1');
    expect(msg?.parsed.messageId).toBe('<m1@example.test>');
    expect(msg?.parsed.text).toBe('Body 1\n');
    expect(msg?.raw.toString()).toContain('Message-ID: <m1@example.test>');
    expect(msg?.user).toBe(smtp.user);
    expect(msg?.at).toBe(1234);
    expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
    smtp.clear();
    expect(smtp.messages).toHaveLength(0);
  });

  it('takes the null sender and raw bytes as sent', async () => {
    await using smtp = await startSmtpCapture();
    const raw = 'From: a@example.test\r\nTo: b@example.test\r\nSubject: raw\r\n\r\n.leading dot\r\n';
    await transport(smtp).sendMail({ envelope: { from: '', to: ['b@example.test'] }, raw });
    const [msg] = await smtp.waitFor(1);
    expect(msg?.envelope.from).toBe('');
    expect(msg?.raw.toString()).toBe(raw);
  });
});

describe('auth', () => {
  it('requires AUTH by default: no login gets 530, a wrong password 535', async () => {
    await using smtp = await startSmtpCapture({ user: 'u1', password: 'secret-1' });
    const noAuth = await sendError(transport(smtp, null).sendMail(mail(1)));
    expect([noAuth.code, noAuth.responseCode]).toEqual(['EENVELOPE', 530]);
    const wrong = await sendError(transport(smtp, { user: 'u1', pass: 'nope' }).sendMail(mail(2)));
    expect(wrong.code).toBe('EAUTH');
    expect(wrong.responseCode).toBe(535);
    expect(smtp.messages).toHaveLength(0);
  });

  it('accepts AUTH LOGIN as well as PLAIN', async () => {
    await using smtp = await startSmtpCapture();
    await transport(smtp, undefined, { authMethod: 'LOGIN' }).sendMail(mail(1));
    await transport(smtp, undefined, { authMethod: 'PLAIN' }).sendMail(mail(2));
    expect(smtp.messages.map((m) => m.parsed.subject)).toEqual(['Test 1', 'Test 2']);
  });

  it("'optional' takes mail without AUTH but still checks a login; 'none' offers no AUTH", async () => {
    await using optional = await startSmtpCapture({ auth: 'optional' });
    await transport(optional, null).sendMail(mail(1));
    expect(optional.messages[0]?.user).toBeNull();
    const wrong = await sendError(transport(optional, { user: 'test', pass: 'bad' }).sendMail(mail(2)));
    expect(wrong.responseCode).toBe(535);

    await using none = await startSmtpCapture({ auth: 'none' });
    await transport(none, null).sendMail(mail(3));
    expect(none.messages).toHaveLength(1);
  });
});

describe('scripted faults (FIFO per transaction, then accept)', () => {
  it('rejects at MAIL FROM with the scripted code and text, then accepts', async () => {
    await using smtp = await startSmtpCapture();
    smtp.script({ kind: 'reject', at: 'mail', code: 451, message: '4.7.1 Greylisted' });
    expect(smtp.pendingFaults()).toBe(1);
    const error = await sendError(transport(smtp).sendMail(mail(1)));
    expect(error.code).toBe('EENVELOPE');
    expect(error.responseCode).toBe(451);
    expect(error.response).toContain('Greylisted');
    expect(smtp.pendingFaults()).toBe(0);
    await transport(smtp).sendMail(mail(2));
    expect(smtp.messages.map((m) => m.parsed.subject)).toEqual(['Test 2']);
  });

  it('rejects one recipient, or all of them, at RCPT TO', async () => {
    await using smtp = await startSmtpCapture();
    smtp.script({ kind: 'reject', at: 'rcpt', code: 550, recipient: 'Gone@example.test' });
    const info = await transport(smtp).sendMail(mail(1, ['carole@example.test', 'gone@example.test']));
    expect(info.rejected).toEqual(['gone@example.test']);
    expect(smtp.messages[0]?.envelope.to).toEqual(['carole@example.test']);

    smtp.script({ kind: 'reject', at: 'rcpt', code: 550 });
    const error = await sendError(transport(smtp).sendMail(mail(2)));
    expect(error.code).toBe('EENVELOPE');
    expect(error.responseCode).toBe(550);
    expect(smtp.messages).toHaveLength(1);
  });

  it('rejects at the end of DATA after reading the message (kept in rejected)', async () => {
    await using smtp = await startSmtpCapture();
    smtp.script({ kind: 'reject', at: 'data', code: 550 }, { kind: 'reject', at: 'data', code: 451 });
    const permanent = await sendError(transport(smtp).sendMail(mail(1)));
    const temporary = await sendError(transport(smtp).sendMail(mail(2)));
    expect([permanent.code, permanent.responseCode]).toEqual(['EMESSAGE', 550]);
    expect([temporary.code, temporary.responseCode]).toEqual(['EMESSAGE', 451]);
    expect(smtp.rejected.map((m) => m.parsed.subject)).toEqual(['Test 1', 'Test 2']);
    expect(smtp.messages).toHaveLength(0);
  });

  it('rejects AUTH with a scripted 535 once, then checks credentials again', async () => {
    await using smtp = await startSmtpCapture();
    smtp.script({ kind: 'reject', at: 'auth', code: 535 }, { kind: 'reject', at: 'mail', code: 452 });
    const auth = await sendError(transport(smtp).sendMail(mail(1)));
    expect([auth.code, auth.responseCode]).toEqual(['EAUTH', 535]);
    // The auth fault is consumed; the next transaction takes the MAIL fault behind it.
    const mailFault = await sendError(transport(smtp).sendMail(mail(2)));
    expect(mailFault.responseCode).toBe(452);
    await transport(smtp).sendMail(mail(3));
    expect(smtp.messages).toHaveLength(1);
  });

  it('drops the connection after DATA without answering; the message is in dropped', async () => {
    await using smtp = await startSmtpCapture();
    smtp.script({ kind: 'drop' });
    const error = await sendError(transport(smtp).sendMail(mail(1)));
    expect(error.responseCode).toBeUndefined();
    expect(error.code).toBe('ECONNECTION');
    const [dropped] = await smtp.waitFor(1, { list: 'dropped' });
    expect(dropped?.parsed.messageId).toBe('<m1@example.test>');
    expect(smtp.messages).toHaveLength(0);
    await transport(smtp).sendMail(mail(2));
    expect(smtp.messages).toHaveLength(1);
  });

  it('waits latencyMs through the injected sleep before the 250', async () => {
    const sleeps: number[] = [];
    let release = (): void => {};
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    await using smtp = await startSmtpCapture({ sleep });
    smtp.script({ kind: 'accept', latencyMs: 30_000 });
    let answered = false;
    const sending = transport(smtp)
      .sendMail(mail(1))
      .then((info) => {
        answered = true;
        return info;
      });
    await expect.poll(() => sleeps).toEqual([30_000]);
    expect(answered).toBe(false);
    expect(smtp.messages).toHaveLength(0);
    release();
    expect((await sending).response).toMatch(/^250 /);
    expect(smtp.messages).toHaveLength(1);
  });

  it('refuses bad scripts with ECONFIG naming the field', () => {
    return startSmtpCapture().then(async (smtp) => {
      await using _ = smtp;
      expect(() => smtp.script({ kind: 'reject', at: 'data', code: 250 })).toThrow(/code must be an SMTP error code/);
      expect(() => smtp.script({ kind: 'reject', at: 'mail', code: 550, recipient: 'x@y' })).toThrow(/recipient/);
      expect(() => smtp.script({ kind: 'bounce' } as never)).toThrow(/kind/);
      expect(smtp.pendingFaults()).toBe(0);
    });
  });
});

describe('refuseAll', () => {
  it('refuses every connection with the code until acceptAll()', async () => {
    await using smtp = await startSmtpCapture();
    smtp.script({ kind: 'reject', at: 'data', code: 451 });
    smtp.refuseAll(554);
    for (const n of [1, 2]) {
      const error = await sendError(transport(smtp).sendMail(mail(n)));
      expect([error.code, error.responseCode]).toEqual(['EPROTOCOL', 554]);
    }
    smtp.refuseAll(421, { at: 'mail' });
    expect((await sendError(transport(smtp).sendMail(mail(3)))).responseCode).toBe(421);
    smtp.refuseAll(550, { at: 'data' });
    expect((await sendError(transport(smtp).sendMail(mail(4)))).responseCode).toBe(550);
    expect(smtp.rejected).toHaveLength(1);
    // The script waited under the refusal; acceptAll() drops it too.
    expect(smtp.pendingFaults()).toBe(1);
    smtp.acceptAll();
    expect(smtp.pendingFaults()).toBe(0);
    await transport(smtp).sendMail(mail(5));
    expect(smtp.messages.map((m) => m.parsed.subject)).toEqual(['Test 5']);
  });
});

describe('waitFor, options and close', () => {
  it('resolves when the count arrives, times out with ETIMEOUT otherwise', async () => {
    await using smtp = await startSmtpCapture();
    const waiting = smtp.waitFor(2);
    await transport(smtp).sendMail(mail(1));
    await transport(smtp).sendMail(mail(2));
    expect(await waiting).toHaveLength(2);
    const error = await smtp.waitFor(3, { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestkitError);
    expect((error as TestkitError).code).toBe('ETIMEOUT');
  });

  it('checks options, naming the option and never echoing a password', async () => {
    const cases: [object, string][] = [
      [{ auth: 'sometimes' }, 'auth'],
      [{ host: '0.0.0.0' }, 'host'],
      [{ port: 70000 }, 'port'],
      [{ sleep: 5 }, 'sleep'],
      [{ password: '' }, 'password'],
    ];
    for (const [opts, option] of cases) {
      const error = await startSmtpCapture(opts as never).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ECONFIG', option });
      expect((error as Error).message).toContain(option);
    }
  });

  it('close() stops listening, ends waits with ECLOSED and is idempotent', async () => {
    const smtp = await startSmtpCapture();
    const waiting = smtp.waitFor(1, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await Promise.all([smtp.close(), smtp.close()]);
    expect(await waiting).toMatchObject({ code: 'ECLOSED' });
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(smtp.port, smtp.host);
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
