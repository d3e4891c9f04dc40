// smtp-capture's XOAUTH2-only mode (tokens checked by the authorization server, PLAIN refused)
// and its Sent-filing mode (each accepted message lands in dovecot's Sent before the 250).
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { startDovecot } from '../src/dovecot.ts';
import { startOAuthServer } from '../src/oauth-server.ts';
import { startSmtpCapture } from '../src/smtp-capture.ts';

const mail = { from: 'test@shop.test', to: 'lead@example.test', subject: 'Roof quote', text: 'Hello' };

function transport(port: number, auth: object) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: auth as never });
}

describe('startSmtpCapture({ oauth2, fileSent })', () => {
  it('takes a live token over XOAUTH2 and refuses PLAIN, a wrong token and an expired one', async () => {
    await using as = await startOAuthServer();
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    const { accessToken } = await as.seedGrant();
    await transport(smtp.port, { type: 'OAuth2', user: 'test', accessToken }).sendMail(mail);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.user).toBe('test');
    await expect(transport(smtp.port, { user: smtp.user, pass: smtp.password }).sendMail(mail)).rejects.toMatchObject({ code: 'EAUTH' });
    await expect(transport(smtp.port, { type: 'OAuth2', user: 'test', accessToken: 'nope' }).sendMail(mail)).rejects.toMatchObject({ code: 'EAUTH' });
    await expect(transport(smtp.port, { type: 'OAuth2', user: 'other', accessToken }).sendMail(mail)).rejects.toMatchObject({ code: 'EAUTH' });
    as.expireAccessTokens();
    await expect(transport(smtp.port, { type: 'OAuth2', user: 'test', accessToken }).sendMail(mail)).rejects.toMatchObject({ code: 'EAUTH' });
    expect(smtp.messages).toHaveLength(1);
  });

  it('files each accepted message into dovecot Sent, and answers 451 when it cannot', async () => {
    await using imap = await startDovecot();
    let broken = false;
    await using smtp = await startSmtpCapture({
      fileSent: async (raw) => {
        if (broken) throw new Error('Sent is gone');
        await imap.deliver('Sent', [raw], { flags: ['\\Seen'] });
      },
    });
    await transport(smtp.port, { user: smtp.user, pass: smtp.password }).sendMail({ ...mail, messageId: '<one@shop.test>' });
    broken = true;
    await expect(transport(smtp.port, { user: smtp.user, pass: smtp.password }).sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, logger: false, auth: { user: imap.user, pass: imap.password } });
    await client.connect();
    const status = await client.status('Sent', { messages: true });
    const found = await client.mailboxOpen('Sent').then(() => client.search({ header: { 'message-id': '<one@shop.test>' } }, { uid: true }));
    await client.logout();
    expect(status === false ? -1 : status.messages).toBe(1);
    expect(found).toHaveLength(1);
  });
});
