// Covers @jobs/mail/alert: one notice goes by mail (real smtp-server capture) and as one JSON
// POST (a loopback HTTP server) with the fields Slack and ntfy read; a dead webhook does not stop
// the mail, a refused mail does not stop the webhook, `delivered` says whether any took it; the
// webhook URL (its token) is never logged; with no mail and no webhook nothing is configured.
import { createServer } from 'node:http';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { createAlertChannel } from '../src/alert.ts';

function recordingLogger() {
  const lines: string[] = [];
  const put = (o: object, m?: string) => lines.push(JSON.stringify({ ...o, m }));
  return { lines, logger: { debug: put, info: put, warn: put, error: put } };
}

const ALERT = { subject: '[farm] digest failed: EAUTH', text: 'Fix: update the password\n', messageId: '<a1@example.test>', fields: { event: 'failure', code: 'EAUTH' } };

describe('createAlertChannel', () => {
  it('mails and posts one notice; each channel fails alone; the URL is never logged', async () => {
    await using smtp = await startSmtpCapture();
    const posts: Array<{ url: string; type: string; body: Record<string, unknown> }> = [];
    let status = 200;
    const hook = createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        posts.push({ url: req.url ?? '', type: req.headers['content-type'] ?? '', body: JSON.parse(b) as Record<string, unknown> });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const webhookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook/T0KEN`;
    const { lines, logger } = recordingLogger();
    const smtpOptions = { host: smtp.host, port: smtp.port, secure: false, user: smtp.user, password: smtp.password };
    try {
      const channel = createAlertChannel({ smtp: smtpOptions, to: 'owner@example.test', from: 'farm@example.test', webhookUrl, logger });
      expect(channel.channels).toEqual(['mail', 'webhook']);
      const r = await channel.send(ALERT);
      expect(r).toMatchObject({ delivered: true, mail: { ok: true, messageId: '<a1@example.test>' }, webhook: { ok: true, status: 200 } });
      expect(smtp.messages.map((m) => [m.envelope.to, m.parsed.subject, m.parsed.headers.get('auto-submitted')])).toEqual([[['owner@example.test'], ALERT.subject, 'auto-generated']]);
      expect(posts).toEqual([{ url: '/hook/T0KEN', type: 'application/json', body: { text: `${ALERT.subject}\n\n${ALERT.text}`, title: ALERT.subject, message: ALERT.text, event: 'failure', code: 'EAUTH' } }]);

      // The webhook refuses: the mail still goes.
      status = 500;
      const r2 = await channel.send({ ...ALERT, messageId: '<a2@example.test>' });
      expect(r2).toMatchObject({ delivered: true, mail: { ok: true }, webhook: { ok: false, error: 'HTTP 500' } });
      // The mail server refuses every connection: the webhook still goes.
      status = 200;
      smtp.refuseAll(554);
      const r3 = await channel.send({ ...ALERT, messageId: '<a3@example.test>' });
      expect(r3).toMatchObject({ delivered: true, mail: { ok: false }, webhook: { ok: true } });
      expect(smtp.messages).toHaveLength(2);
      expect(posts).toHaveLength(3);
      expect(lines.join('\n')).not.toContain('T0KEN');
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  it('a webhook that cannot be reached is not delivered, and nothing configured is said so', async () => {
    const { lines, logger } = recordingLogger();
    const dead = createAlertChannel({ webhookUrl: 'http://127.0.0.1:9/hook/T0KEN', logger });
    const r = await dead.send(ALERT);
    expect(r.delivered).toBe(false);
    expect(r.webhook?.ok).toBe(false);
    expect(lines.join('\n')).not.toContain('T0KEN');
    expect(createAlertChannel({ to: 'owner@example.test', logger }).configured).toBe(false);
  });
});
