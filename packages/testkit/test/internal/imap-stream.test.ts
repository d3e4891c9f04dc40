// Covers the IMAP line framing (literals pass through untouched, split anywhere), the PERMANENTFLAGS
// rewrite, and parsing of RFC 5256 THREAD responses.
import { describe, expect, it } from 'vitest';
import { imapQuote, parseThreadResponse } from '../../src/internal/imap-raw.ts';
import { ImapLineStream, stripKeywordPermission } from '../../src/internal/imap-stream.ts';

describe('ImapLineStream', () => {
  it('hands each protocol line to the handler but never a literal body, however the bytes are split', () => {
    const body = 'a1 OK looks like a line\r\n* 5 EXISTS\r\n';
    const wire = `* 1 FETCH (BODY[] {${Buffer.byteLength(body)}}\r\n${body})\r\na1 OK done\r\n`;
    for (const size of [1, 3, 7, wire.length]) {
      const lines: string[] = [];
      const stream = new ImapLineStream((line) => {
        lines.push(line.toString('latin1'));
        return Buffer.from(line.toString('latin1').toUpperCase(), 'latin1');
      });
      const out: Buffer[] = [];
      for (let i = 0; i < wire.length; i += size) out.push(stream.push(Buffer.from(wire.slice(i, i + size), 'latin1')));
      expect(lines).toEqual([`* 1 FETCH (BODY[] {${Buffer.byteLength(body)}}\r\n`, ')\r\n', 'a1 OK done\r\n']);
      // Lines were rewritten (upper-cased), the literal was forwarded byte for byte.
      expect(Buffer.concat(out).toString('latin1')).toBe(
        `* 1 FETCH (BODY[] {${Buffer.byteLength(body)}}\r\n${body})\r\nA1 OK DONE\r\n`,
      );
    }
  });
});

describe('stripKeywordPermission', () => {
  it('removes \\* from PERMANENTFLAGS and leaves other lines alone', () => {
    const line = Buffer.from('* OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.\r\n');
    expect(stripKeywordPermission(line).toString()).toBe('* OK [PERMANENTFLAGS (\\Answered \\Seen)] Flags permitted.\r\n');
    const other = Buffer.from('* FLAGS (\\Answered \\Seen)\r\n');
    expect(stripKeywordPermission(other)).toBe(other);
  });
});

describe('parseThreadResponse', () => {
  it('flattens each top-level thread, nested branches included', () => {
    expect(parseThreadResponse('* THREAD (2)(3 6 (4 23)(44 7 96))')).toEqual([[2], [3, 6, 4, 23, 44, 7, 96]]);
    expect(parseThreadResponse('* THREAD ((1)(2))(3)')).toEqual([[1, 2], [3]]);
    expect(parseThreadResponse('* THREAD')).toEqual([]);
  });

  it('refuses an unbalanced response', () => {
    expect(() => parseThreadResponse('* THREAD (1 (2)')).toThrow(/unbalanced/);
    expect(() => parseThreadResponse('* THREAD 1)')).toThrow(/unbalanced/);
  });
});

describe('imapQuote', () => {
  it('escapes quotes and backslashes and refuses non-ASCII without echoing a password', () => {
    expect(imapQuote('a "b" \\c', 'mailbox')).toBe('"a \\"b\\" \\\\c"');
    expect(() => imapQuote('Entwürfe', 'mailbox')).toThrow(/Entwürfe/);
    expect(() => imapQuote('pässword', 'password')).toThrow(/^password: only printable ASCII is supported$/);
  });
});
