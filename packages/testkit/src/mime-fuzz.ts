/**
 * Building blocks for MIME fuzz tests (the mail parser's, the digest's): a plausible multipart
 * body from a seeded PRNG, and the blows that damage any message alike (truncation, lost
 * boundaries, byte noise, mixed line endings, spliced halves, no header at all). Each test adds
 * the blows aimed at its own limits (header caps, nesting depth) and keeps its own seed.
 * The same PRNG state always gives the same bytes.
 */
import type { Random } from './prng.ts';

/** A whole number in [0, n). */
export const int = (r: Random, n: number): number => Math.floor(r() * n);

/** One element of `xs`. */
export const pick = <T>(r: Random, xs: readonly T[]): T => xs[int(r, xs.length)] as T;

/** A blow: the PRNG and a message (as latin1 text) in, the damaged message out. */
export type Mutation = (r: Random, base: string) => string;

/** What fuzzMultipart puts in a body. */
export interface FuzzMultipartOptions {
  /** The text/plain part's body, quoted-printable, broken escapes welcome. */
  readonly text: string;
  /** The header lines of a nested message/rfc822 part, before its Content-Type (CRLF-terminated). */
  readonly nestedHead: string;
}

/**
 * A multipart/mixed body (its Content-Type line included): a quoted-printable text part, an
 * HTML part in a random (sometimes unknown) charset, a base64 PDF that may not be base64, and
 * below `depth` > 0 a message/rfc822 part nesting another one, whose boundary may be wrong,
 * empty or hold a NUL.
 */
export function fuzzMultipart(r: Random, depth: number, o: FuzzMultipartOptions): string {
  const b = `b${depth}_${int(r, 1e6)}`;
  const parts = [
    `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${o.text}\r\n`,
    `Content-Type: text/html; charset=${pick(r, ['utf-8', 'x-unknown', 'utf-7', 'iso-2022-jp', 'shift_jis'])}\r\n\r\n<p>Hi <b>there</p><script>x</script>\r\n`,
    `Content-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pick(r, ['JVBERi0xLjQK', '!!!not base64@@@', 'QUJD\r\nRE=F\r\n===='])}\r\n`,
  ];
  if (depth > 0) {
    const inner = pick(r, [b, `${b}x`, '', `${b}\u0000`]);
    parts.push(`Content-Type: message/rfc822\r\n\r\n${o.nestedHead}Content-Type: multipart/mixed; boundary="${inner}"\r\n\r\n${fuzzMultipart(r, depth - 1, o)}`);
  }
  return `Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n${parts.map((p) => `--${b}\r\n${p}`).join('')}--${b}--\r\n`;
}

/** The blows every MIME fuzz test deals, whatever it tests. */
export const DAMAGE = Object.freeze({
  truncate: ((r, base) => base.slice(0, int(r, base.length))) as Mutation,
  dropBoundaries: ((r, base) => base.replace(/^--b[^\r\n]*\r\n/gm, () => (r() < 0.6 ? '' : '--wrong\r\n'))) as Mutation,
  byteNoise: ((r, base) => {
    const chars = [...base];
    for (let i = 0; i < 1 + int(r, 50); i++) chars[int(r, chars.length)] = String.fromCharCode(int(r, 256));
    return chars.join('');
  }) as Mutation,
  lineEndings: ((r, base) => base.replace(/\r\n/g, () => pick(r, ['\n', '\r', '\r\n', '\n\r', '']))) as Mutation,
  splice: ((r, base) => {
    const a = int(r, base.length);
    const b = int(r, base.length);
    return base.slice(0, Math.min(a, b)) + base.slice(Math.max(a, b)) + base.slice(Math.min(a, b), Math.max(a, b));
  }) as Mutation,
  noHeaders: ((r) => pick(r, ['', '\r\n', '\r\n\r\n', 'garbage without colon', ':', '--\r\n', '\u0000'.repeat(100)])) as Mutation,
});
