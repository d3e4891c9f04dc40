/**
 * Splits one direction of an IMAP stream into lines while passing literals (`{N}\r\n` then N
 * raw bytes) through untouched, so a proxy can look at or rewrite protocol lines without ever
 * touching message bodies, even bodies that happen to contain IMAP-looking text.
 */

/** Called for each protocol line (CRLF included); returns the bytes to forward. */
export type LineHandler = (line: Buffer) => Buffer;

// A line that long without CRLF is not a protocol line we care about: pass it on.
const MAX_LINE = 1024 * 1024;
const LITERAL_AT_END = /\{(\d+)\+?\}\r?\n$/;

/** Stateful splitter for one direction of one connection. */
export class ImapLineStream {
  private pending: Buffer = Buffer.alloc(0);
  private literalLeft = 0;
  private readonly onLine: LineHandler;

  constructor(onLine: LineHandler) {
    this.onLine = onLine;
  }

  /** Feeds received bytes; returns the bytes to forward now (possibly empty). */
  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    while (buf.length > 0) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, buf.length);
        out.push(buf.subarray(0, take));
        this.literalLeft -= take;
        buf = buf.subarray(take);
        continue;
      }
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (buf.length > MAX_LINE) out.push(buf);
        else this.pending = Buffer.from(buf);
        break;
      }
      const line = buf.subarray(0, nl + 1);
      buf = buf.subarray(nl + 1);
      const match = LITERAL_AT_END.exec(line.toString('latin1'));
      if (match?.[1] !== undefined) this.literalLeft = Number(match[1]);
      out.push(this.onLine(line));
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

/** Removes the `\*` flag from a PERMANENTFLAGS response code, leaving other lines alone. */
export function stripKeywordPermission(line: Buffer): Buffer {
  const text = line.toString('latin1');
  if (!text.includes('[PERMANENTFLAGS (')) return line;
  return Buffer.from(
    text.replace(/\[PERMANENTFLAGS \(([^)]*)\)\]/, (_all, flags: string) => {
      const kept = flags.split(' ').filter((f) => f !== '\\*' && f !== '');
      return `[PERMANENTFLAGS (${kept.join(' ')})]`;
    }),
    'latin1',
  );
}
