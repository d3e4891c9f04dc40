// The IMAP text plan (textPrefixBytes): odd structures read through BODYSTRUCTURE, the header fields and a
// partial of the first text part give the same digest-relevant message as the whole fetch, and the
// bytes that cross the wire are a fraction of the whole; the whole message only when nothing can be planned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapProxy, type ImapProxy } from '@jobs/testkit/imap-proxy';
import { createImapSource, type FetchedMessage } from '../../src/imap/source.ts';
import { parseLean } from '../../src/lean/parse-lean.ts';
import type { MailMessage } from '../../src/message.ts';
import { type Dovecot, sourceOptions, startDovecot } from '../support/imap.ts';

const HEAD = (id: string, extra = '') =>
  `Message-ID: <${id}@t>\r\nFrom: "Ann" <ann@example.com>\r\nTo: bob@example.com\r\nSubject: =?utf-8?q?caf=C3=A9_${id}?=\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nReceived: from a by b; Tue, 01 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n${extra}`;
const BIG = Buffer.alloc(200_000, 'A').toString('base64').replace(/.{76}/g, '$&\r\n');
const LONG = Array.from({ length: 4000 }, (_, i) => `line ${i} of a long body, d\u00e9j\u00e0 vu`).join('\n');

const CASES: Record<string, string> = {
  alternativeInMixed: `${HEAD('alt', 'Content-Type: multipart/mixed; boundary="m"\r\n')}\r\n--m\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n--a\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBonjour, le caf=E9 est pr=EAt.\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>Bonjour</p>\r\n--a--\r\n--m\r\nContent-Type: application/pdf; name="devis.pdf"\r\nContent-Disposition: attachment; filename="devis.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${BIG}\r\n--m--\r\n`,
  htmlOnly: `${HEAD('html', 'Content-Type: text/html; charset=utf-8\r\n')}\r\n<html><body><p>Only <b>HTML</b> here &amp; there.</p></body></html>\r\n`,
  textInAttachment: `${HEAD('att', 'Content-Type: multipart/mixed; boundary="m"\r\n')}\r\n--m\r\nContent-Type: text/plain; name="note.txt"\r\nContent-Disposition: attachment; filename="note.txt"\r\n\r\nThe text is in here.\r\n--m--\r\n`,
  tnef: `${HEAD('tnef', 'Content-Type: multipart/mixed; boundary="m"\r\n')}\r\n--m\r\nContent-Type: application/ms-tnef; name="winmail.dat"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('TNEF bytes').toString('base64')}\r\n--m--\r\n`,
  encrypted: `${HEAD('pgp', 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\r\n')}\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n--e--\r\n`,
  longBase64: `${HEAD('long', 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n')}\r\n${Buffer.from(LONG).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`,
  report: `${HEAD('dsn', 'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n')}\r\n--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--r--\r\n`,
  undated: `Message-ID: <nodate@t>\r\nFrom: ann@example.com\r\nSubject: no date\r\nReceived: from a by b; Wed, 02 Dec 2026 08:00:00 +0000\r\n\r\nHello.\r\n`,
};

let imap: Dovecot;
let proxy: ImapProxy;
beforeAll(async () => {
  imap = await startDovecot();
  await imap.deliver('INBOX', Object.values(CASES));
  proxy = await startImapProxy(imap);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await imap?.close();
});

async function fetchAll(textPrefixBytes: number): Promise<{ messages: FetchedMessage[]; bytes: number; lines: readonly string[] }> {
  const before = proxy.bytesToClient;
  const from = proxy.clientLines.length;
  const source = createImapSource(sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { textPrefixBytes }));
  const messages: FetchedMessage[] = [];
  try {
    for await (const m of await source.fetchSince(undefined)) messages.push(m);
  } finally {
    await source.close();
  }
  return { messages, bytes: proxy.bytesToClient - before, lines: proxy.clientLines.slice(from) };
}

const shown = (m: MailMessage) => ({
  messageId: m.messageId,
  subject: m.subject,
  from: m.from,
  date: m.date,
  text: m.text.slice(0, 3000),
  textSource: m.textSource,
  attachments: m.attachments.filter((a) => a.disposition !== 'inline').map((a) => a.filename ?? a.contentType),
  contentType: m.automation.contentType,
  reportType: m.automation.reportType,
});

describe('IMAP text plan', () => {
  it('gives the same message as the whole fetch for odd structures, for a fraction of the bytes', async () => {
    const whole = await fetchAll(0);
    const plan = await fetchAll(2048);
    expect(plan.messages.map((m) => m.uid)).toEqual(whole.messages.map((m) => m.uid));
    for (const [i, m] of plan.messages.entries()) {
      const a = parseLean(whole.messages[i]!.raw);
      const b = parseLean(m.raw, { truncated: m.reduced, sizeBytes: m.size });
      if (!a.ok || !b.ok) throw new Error('parse failed');
      const label = Object.keys(CASES)[i];
      expect(shown(b.message), label).toEqual({ ...shown(a.message), text: a.message.text.slice(0, shown(b.message).text.length) });
      // every message with any text shows it (a text/plain attachment's when there is no inline text)
      if (label !== 'tnef' && label !== 'encrypted') expect(b.message.text.length, label).toBeGreaterThan(0);
    }
    // the long body was cut at the bound, the attachment never crossed the wire
    expect(parseLean(plan.messages[5]!.raw).ok && plan.messages[5]!.reduced).toBe(true);
    expect(plan.bytes).toBeLessThan(whole.bytes / 4);
    expect(plan.lines.some((l) => /BODY\.PEEK\[1\.1\]<0\.2048>/i.test(l))).toBe(true);
    // only the messages with no inline text part are fetched whole
    expect(plan.messages.filter((m) => !m.reduced).map((m) => m.messageId)).toEqual(['<att@t>', '<tnef@t>', '<pgp@t>']);
  }, 60_000);
});
