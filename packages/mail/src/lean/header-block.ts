/**
 * A header block read straight from bytes, as mailsplit reads it for mailparser: the lines
 * (folded continuations joined with CRLF, lower-case key) as latin1 "binary" strings, so the
 * lean parse hands buildMessage exactly what the streaming parse does.
 */
import libmime from 'libmime';
import type { RawHeaderLine } from '../internal/raw-headers.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Offset just past the blank line ending the header block that starts at `from`; `end` when none. */
export function headerEnd(buf: Buffer, from = 0, end = buf.length): number {
  if (buf[from] === LF) return from + 1;
  if (buf[from] === CR && buf[from + 1] === LF) return from + 2;
  let i = buf.indexOf(LF, from);
  while (i >= 0 && i < end - 1) {
    const next = buf[i + 1];
    if (next === LF) return i + 2;
    if (next === CR && buf[i + 2] === LF && i + 2 < end) return i + 3;
    i = buf.indexOf(LF, i + 1);
  }
  return end;
}

/** The header lines of `buf[from, to)` (see the module comment). An mbox `From ` line is skipped. */
export function headerLines(buf: Buffer, from: number, to: number): RawHeaderLine[] {
  let end = to;
  while (end > from && (buf[end - 1] === LF || buf[end - 1] === CR)) end--;
  const lines: RawHeaderLine[] = [];
  let first = true;
  for (const raw of buf.toString('latin1', from, end).split(/\r?\n/)) {
    const c = raw.charAt(0);
    const last = lines[lines.length - 1];
    if ((c === ' ' || c === '\t') && last) {
      lines[lines.length - 1] = { key: last.key, line: `${last.line}\r\n${raw}` };
    } else if (first && /^(From|POST) /i.test(raw)) {
      // an mbox separator or HTTP preamble, not a header
    } else {
      const colon = raw.indexOf(':');
      lines.push({ key: (colon < 0 ? raw : raw.slice(0, colon)).toLowerCase().trim(), line: raw });
    }
    first = false;
  }
  return lines;
}

/** The first value of `key` as mailsplit's getFirst gives it (unfolded, trimmed), or ''. */
export function firstValue(lines: readonly RawHeaderLine[], key: string): string {
  const found = lines.find((l) => l.key === key);
  if (!found) return '';
  return String(libmime.decodeHeader(found.line)?.value ?? '').trim();
}

/** A structured header value (Content-Type, Content-Disposition): lower-case value and params. */
export function structured(value: string): { value: string; params: Record<string, string> } {
  const parsed = libmime.parseHeaderValue(value, { stripComments: true });
  return { value: String(parsed.value ?? '').toLowerCase().trim(), params: parsed.params ?? {} };
}

/** The decoded Subject, as mailparser decodes it (bytes as UTF-8, then encoded words). */
export function decodedSubject(lines: readonly RawHeaderLine[]): string | undefined {
  const found = lines.find((l) => l.key === 'subject');
  if (!found) return undefined;
  const value = Buffer.from(String(libmime.decodeHeader(found.line)?.value ?? '').trim(), 'latin1').toString();
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}
