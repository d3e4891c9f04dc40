// Covers parseMessage: normalized fields, HTML-only bodies, attachment metadata, encoded-word
// spoofing, and the size, time and stream-failure caps that quarantine instead of throwing.
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isMailError } from '../src/errors.ts';
import type { MailMessage, ParseResult } from '../src/message.ts';
import { parseMessage } from '../src/parse.ts';

const eml = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));

function ok(result: ParseResult): MailMessage {
  if (!result.ok) throw new Error(`expected a parsed message, got ${result.code}: ${result.reason}`);
  return result.message;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('parseMessage fields', () => {
  it('normalizes ids, addresses, subject, date and automation headers', async () => {
    const m = ok(
      await parseMessage(
        eml(
          'Return-Path: <>',
          'Message-ID: <m2@example.com>',
          'In-Reply-To: <m1@example.com> (message from Dana of Mon)',
          'References: <m0@example.com><m1@example.com>',
          `From: =?utf-8?b?${b64('Jürgen Müller')}?= <J.Mueller@EXAMPLE.com>`,
          'Reply-To: Dana <dana@customer.test>',
          'To: a@example.com, "B, Person" <b@example.com>',
          'To: c@example.com',
          'Cc: Team: x@example.com, y@example.com;',
          `Subject: =?utf-8?q?Roof_quote_=E2=80=94_Re:?= again`,
          'Date: Thu, 22 Aug 2002 18:26:25 +0700 (ICT)',
          'Auto-Submitted: auto-replied',
          'Precedence: bulk',
          'List-Id: Roofers <roofers.lists.example.com>',
          'List-Unsubscribe: <mailto:leave@example.com>',
          'X-Auto-Response-Suppress: All',
          'X-Spam-Flag: YES',
          'X-Spam-Status: Yes, score=9.1',
          '',
          'Hello there.',
          '',
        ),
        { uid: 42 },
      ),
    );
    expect(m.messageId).toBe('<m2@example.com>');
    expect(m.messageIdSynthetic).toBe(false);
    expect(m.uid).toBe(42);
    expect(m.inReplyTo).toBe('<m1@example.com>');
    expect(m.references).toEqual(['<m0@example.com>', '<m1@example.com>']);
    expect(m.from).toEqual({ address: 'J.Mueller@example.com', name: 'Jürgen Müller', encodedWordSpoof: false });
    expect(m.replyTo.map((a) => a.address)).toEqual(['dana@customer.test']);
    expect(m.to.map((a) => a.address)).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(m.to[1]!.name).toBe('B, Person');
    expect(m.cc.map((a) => a.address)).toEqual(['x@example.com', 'y@example.com']);
    expect(m.subject).toBe('Roof quote — Re: again');
    expect(m.date?.toISOString()).toBe('2002-08-22T11:26:25.000Z');
    expect(m.text).toBe('Hello there.');
    expect(m.textSource).toBe('text');
    expect(m.automation).toMatchObject({
      autoSubmitted: 'auto-replied',
      precedence: 'bulk',
      listId: 'Roofers <roofers.lists.example.com>',
      listUnsubscribe: '<mailto:leave@example.com>',
      autoResponseSuppress: 'All',
      returnPath: '',
      spamFlag: 'YES',
      contentType: 'text/plain',
    });
  });

  it('keeps raw UTF-8 header bytes and reads junk dates leniently', async () => {
    const m = ok(await parseMessage(eml('From: Zoë <zoe@example.com>', 'Subject: Grüße', 'Date: Sat, 8 Jun 2002 1:5:13 +-0500', '', 'x')));
    expect(m.from?.name).toBe('Zoë');
    expect(m.subject).toBe('Grüße');
    expect(m.date?.toISOString()).toBe('2002-06-08T06:05:13.000Z');
  });

  it('falls back to the Received date and to a stable synthetic Message-ID', async () => {
    const raw = eml('Received: from a by b; Tue, 1 Oct 2024 10:00:00 +0000', 'From: a@example.com', 'Subject: no id', '', 'x');
    const one = ok(await parseMessage(raw));
    const two = ok(await parseMessage(raw));
    expect(one.date?.toISOString()).toBe('2024-10-01T10:00:00.000Z');
    expect(one.messageIdSynthetic).toBe(true);
    expect(one.messageId).toMatch(/^<[0-9a-f]{32}@synthetic\.invalid>$/);
    expect(two.messageId).toBe(one.messageId);
    const undated = ok(await parseMessage(eml('From: a@example.com', 'Date: someday', '', 'x')));
    expect(undated.date).toBeNull();
  });

  it('flags a From whose encoded word hides another address', async () => {
    const spoofed = ok(await parseMessage(eml(`From: =?utf-8?b?${b64('boss@bank.com')}?= <evil@attacker.test>`, '', 'x')));
    expect(spoofed.from).toMatchObject({ address: 'evil@attacker.test', encodedWordSpoof: true });
    const qp = ok(await parseMessage(eml('From: =?utf-8?q?boss=40bank=2Ecom?= <evil@attacker.test>', '', 'x')));
    expect(qp.from?.encodedWordSpoof).toBe(true);
    const inAddress = ok(await parseMessage(eml(`From: <=?utf-8?b?${b64('boss@bank.com')}?=@attacker.test>`, '', 'x')));
    expect(inAddress.from?.encodedWordSpoof).toBe(true);
    expect(inAddress.from?.address).not.toBe('boss@bank.com');
    const plain = ok(await parseMessage(eml(`From: =?utf-8?b?${b64('Dana Roofer')}?= <dana@example.com>`, '', 'x')));
    expect(plain.from?.encodedWordSpoof).toBe(false);
  });

  it('turns an HTML-only body into text without scripts, styles or link targets', async () => {
    const m = ok(
      await parseMessage(
        eml(
          'From: a@example.com',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<html><head><style>p{color:red}</style><title>T</title></head><body>',
          '<p>Hello&nbsp;<b>Dana</b> &amp; team</p><script>alert(1)</script>',
          '<ul><li>one</li><li>two</li></ul><a href="https://track.example/x">Read more</a>',
          '<a href="mailto:lead@customer.test">Reply</a><!-- hidden --></body></html>',
        ),
      ),
    );
    expect(m.textSource).toBe('html');
    expect(m.text).toBe('Hello Dana & team\n\n- one\n- two\n\nRead more Reply <lead@customer.test>');
  });

  it('keeps attachment metadata only, with the decoded size', async () => {
    const content = Buffer.alloc(5000, 7);
    const m = ok(
      await parseMessage(
        eml(
          'From: a@example.com',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'See attached.',
          '--b',
          'Content-Type: application/pdf; name="invoice.pdf"',
          'Content-Disposition: attachment; filename="invoice.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          content.toString('base64'),
          '--b--',
          '',
        ),
      ),
    );
    expect(m.text).toBe('See attached.');
    expect(m.attachments).toEqual([
      { filename: 'invoice.pdf', contentType: 'application/pdf', size: 5000, disposition: 'attachment', contentId: null },
    ]);
    expect(Object.keys(m.attachments[0]!)).not.toContain('content');
  });
});

/** A message with one base64 attachment of `size` bytes, generated lazily. */
function bigMessage(size: number): Readable {
  const head = eml(
    'From: a@example.com',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'big one',
    '--b',
    'Content-Type: application/octet-stream; name="big.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  );
  const line = `${Buffer.alloc(57, 1).toString('base64')}\r\n`; // 57 bytes per 76-char line
  const lines = Math.ceil(size / 57);
  const perChunk = 1000;
  let sent = 0;
  return new Readable({
    read() {
      if (sent === 0) this.push(head);
      if (sent >= lines) {
        this.push('\r\n--b--\r\n');
        this.push(null);
        return;
      }
      const n = Math.min(perChunk, lines - sent);
      sent += n;
      this.push(line.repeat(n));
    },
  });
}

describe('parseMessage caps', () => {
  it('streams a 30 MB attachment with bounded memory', async () => {
    // Live memory, not garbage: collect before each sample (gc exposed for this test only).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = (): number => {
      gc();
      const now = process.memoryUsage();
      return now.heapUsed + now.arrayBuffers;
    };
    const before = live();
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, live() - before);
    }, 20);
    // The time cap is tested below; here a GC every 20 ms on a busy machine must not trip it.
    const m = ok(await parseMessage(bigMessage(30 * 1024 * 1024), { maxBytes: 64 * 1024 * 1024, timeoutMs: 110_000 }));
    clearInterval(sampler);
    expect(m.attachments[0]?.size).toBe(Math.ceil((30 * 1024 * 1024) / 57) * 57);
    expect(m.sizeBytes).toBeGreaterThan(40 * 1024 * 1024); // base64 inflates by a third
    // The message is ~41 MB raw; holding it or the attachment whole would show here.
    expect(peak).toBeLessThan(12 * 1024 * 1024);
  }, 120_000);

  it('quarantines a Buffer over maxBytes without parsing', async () => {
    const result = await parseMessage(Buffer.alloc(2000, 65), { maxBytes: 1000 });
    expect(result).toMatchObject({ ok: false, code: 'ETOOBIG', sizeBytes: 2000 });
  });

  it('quarantines a stream over maxBytes and destroys it', async () => {
    const input = bigMessage(5 * 1024 * 1024);
    const result = await parseMessage(input, { maxBytes: 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, code: 'ETOOBIG' });
    expect(input.destroyed).toBe(true);
  });

  it('quarantines a stalled stream at the time cap and destroys it', async () => {
    const input = new Readable({ read() {} });
    input.push(eml('From: a@example.com', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'and then nothing'));
    const result = await parseMessage(input, { timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, code: 'ETIMEOUT' });
    expect(input.destroyed).toBe(true);
  });

  it('quarantines a failing input stream', async () => {
    const input = new Readable({
      read() {
        this.destroy(Object.assign(new Error('disk gone'), { code: 'EIO' }));
      },
    });
    const result = await parseMessage(input);
    expect(result).toMatchObject({ ok: false, code: 'ESTREAM' });
    if (!result.ok) expect(result.reason).toContain('disk gone');
  });

  it('rejects invalid options with ECONFIG', () => {
    expect(() => parseMessage(Buffer.from('x'), { timeoutMs: -1 })).toThrow(/timeoutMs/);
    try {
      parseMessage(Buffer.from('x'), { maxBytes: Number.NaN });
    } catch (err) {
      expect(isMailError(err, 'ECONFIG')).toBe(true);
    }
  });
});
