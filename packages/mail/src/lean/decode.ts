/**
 * One body part's bytes to text, as mailparser decodes an inline text part: the transfer
 * encoding (base64, quoted-printable, else as is), format=flowed, then the charset (libmime's
 * names and aliases through iconv-lite; UTF-7 and unknown charsets read as UTF-8), line ends
 * made LF. A prefix cut mid-line is cut back to its last line end first, so a base64 quad or a
 * `=XX` escape is never split.
 */
import libmime from 'libmime';
import { decode as decodeCharset } from 'libmime/lib/charset.js';
import { decode as decodeQp } from 'libqp';

/** How a part's bytes are encoded. */
export interface PartEncoding {
  /** Content-Transfer-Encoding, lower case ('' when none). */
  readonly encoding: string;
  /** The charset parameter, when given. */
  readonly charset: string | null;
  readonly flowed: boolean;
  readonly delSp: boolean;
}

const PLAIN = new Set(['ascii', 'usascii', 'utf8']);

/** The bytes up to and including the last line end (all of them when there is none). */
export function toLastLineEnd(bytes: Buffer): Buffer {
  const nl = bytes.lastIndexOf(0x0a);
  return nl < 0 ? bytes : bytes.subarray(0, nl + 1);
}

/** Decodes a part (see the module comment); `truncated` says the bytes are a prefix. */
export function decodePart(bytes: Buffer, how: PartEncoding, truncated = false): string {
  const input = truncated ? toLastLineEnd(bytes) : bytes;
  let data: Buffer;
  if (how.encoding === 'base64') data = Buffer.from(input.toString('latin1'), 'base64');
  else if (how.encoding === 'quoted-printable') data = decodeQp(input);
  else data = input;
  if (how.flowed) data = Buffer.from(libmime.decodeFlowed(data.toString('latin1'), how.delSp), 'latin1');
  const charset = how.charset ?? 'utf-8';
  const key = charset.toLowerCase().replace(/[^a-z0-9]+/g, '');
  let text: string;
  if (PLAIN.has(key) || key.startsWith('utf7')) text = data.toString();
  else {
    try {
      text = decodeCharset(data, charset);
    } catch {
      text = data.toString();
    }
  }
  return text.replace(/\r?\n/g, '\n');
}
