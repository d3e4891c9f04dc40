// Message keys from raw header lines: unfolding, last occurrence wins (as dovecot's ENVELOPE), header end, lone CR, synthetic keys.
import { describe, expect, it } from 'vitest';
import { headerValues, KEY_HEADERS, messageIdentity, normalizeMessageId } from '../../src/imap/message-key.ts';

const buf = (s: string) => Buffer.from(s, 'latin1');

describe('headerValues', () => {
  it('unfolds continuation lines, keeps their whitespace, and matches names in any case', () => {
    const v = headerValues(buf('message-ID:\r\n <folded@x>\r\nSubject: a\r\n\tb\r\n\r\nbody'), ['message-id', 'subject']);
    expect(v.get('message-id')).toBe('<folded@x>');
    expect(v.get('subject')).toBe('a\tb');
  });

  it('takes the last of a repeated field, as ENVELOPE does', () => {
    expect(headerValues(buf('Message-ID: <first@x>\r\nMessage-ID: <second@x>\r\n\r\n'), ['message-id']).get('message-id')).toBe(
      '<second@x>',
    );
  });

  it('stops at the blank line (LF or CRLF): a field in the body is not a header', () => {
    expect(headerValues(buf('Subject: s\r\n\r\nMessage-ID: <body@x>\r\n'), ['message-id']).has('message-id')).toBe(false);
    expect(headerValues(buf('Subject: s\n\nMessage-ID: <body@x>\n'), ['message-id']).has('message-id')).toBe(false);
    expect(headerValues(buf('Subject: s\nMessage-ID: <lf@x>\n\n'), ['message-id']).get('message-id')).toBe('<lf@x>');
  });

  it('does not start a field after a lone CR, nor match a longer name', () => {
    const v = headerValues(buf('X-Note: a\rMessage-ID: <hidden@x>\r\nMessage-IDs: <other@x>\r\n\r\n'), ['message-id']);
    expect(v.has('message-id')).toBe(false);
  });

  it('reads 8-bit bytes unchanged (latin1 round trip)', () => {
    const raw = Buffer.concat([buf('Subject: '), Buffer.from([0xc3, 0xa9]), buf('\r\n\r\n')]);
    expect(Buffer.from(headerValues(raw, ['subject']).get('subject') ?? '', 'latin1')).toEqual(Buffer.from([0xc3, 0xa9]));
  });
});

describe('messageIdentity', () => {
  it('uses the Message-ID in angle brackets, comments included as ENVELOPE gives them', () => {
    expect(messageIdentity(buf('Message-ID: lower@x\r\n\r\n'), 10)).toEqual({ key: '<lower@x>', messageId: '<lower@x>' });
    expect(messageIdentity(buf('Message-ID: <c@x> (added by relay)\r\n\r\n'), 10).key).toBe('<c@x> (added by relay)');
  });

  it('falls back to a hash of Date, From, Subject and size, the same from the whole header or the fields alone', () => {
    const whole = buf('Received: by x\r\nFrom: a@x\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nSubject: s\r\nMessage-ID:\r\n\r\nbody');
    const fields = buf('From: a@x\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nSubject: s\r\n\r\n');
    const a = messageIdentity(whole, 100);
    expect(a.messageId).toBe(null);
    expect(a.key).toMatch(/^synthetic:[0-9a-f]{64}$/);
    expect(messageIdentity(fields, 100)).toEqual(a);
    expect(messageIdentity(fields, 101).key).not.toBe(a.key);
    expect(messageIdentity(buf('From: b@x\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nSubject: s\r\n\r\n'), 100).key).not.toBe(a.key);
  });

  it('names the fields a resync plan must fetch', () => {
    expect(KEY_HEADERS).toEqual(['message-id', 'date', 'from', 'subject']);
  });
});

describe('normalizeMessageId', () => {
  it('trims, adds angle brackets, and treats empty and <> as missing', () => {
    expect(normalizeMessageId('  <a@x> ')).toBe('<a@x>');
    expect(normalizeMessageId('a@x')).toBe('<a@x>');
    expect(normalizeMessageId('')).toBe(null);
    expect(normalizeMessageId('<>')).toBe(null);
    expect(normalizeMessageId(undefined)).toBe(null);
  });
});
