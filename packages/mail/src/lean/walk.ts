/**
 * A MIME tree walked over bytes, without streams: multipart bodies are split at their boundary
 * lines, each leaf classified as mailparser classifies it (inline text/plain, text/html and
 * delivery-status are text; everything else, or anything marked attachment, is an attachment,
 * listed with its metadata and skipped). A message/rfc822 part is descended into only when
 * marked inline, as mailsplit does. Works on a prefix too: a part cut by the end of the bytes
 * is read as far as it goes. Depth and part count are capped so hostile nesting stays linear.
 */
import libmime from 'libmime';
import type { AttachmentMeta } from '../message.ts';
import type { PartEncoding } from './decode.ts';
import { firstValue, headerEnd, headerLines, structured } from './header-block.ts';
import { parseAddresses } from '../internal/addresses.ts';
import type { RawHeaderLine } from '../internal/raw-headers.ts';

/** A text leaf in document order, with what it sits in. */
export interface TextLeaf extends PartEncoding {
  /** `meta`: the header summary mailparser writes before an embedded message's text. */
  readonly type: 'text/plain' | 'text/html' | 'message/delivery-status' | 'meta';
  readonly body: Buffer;
  /** Inside a multipart/alternative. */
  readonly alternative: boolean;
  readonly root: boolean;
  /** The part ran past the end of the bytes at hand. */
  readonly truncated: boolean;
}

/** What a walk found. */
export interface Walked {
  readonly headerLines: readonly RawHeaderLine[];
  readonly texts: TextLeaf[];
  readonly attachments: AttachmentMeta[];
  attachmentCount: number;
  /** The first text/plain attachment: the best text a message with no inline text has. */
  fallback: TextLeaf | null;
}

const MAX_DEPTH = 32;
/** The longest header block (of the message or a part), as mailparser's maxHeadSize. */
export const MAX_HEAD_BYTES = 1024 * 1024;

/** A header block over MAX_HEAD_BYTES: the message is quarantined, as the full parse does. */
export class HeaderTooLong extends Error {
  override readonly name = 'HeaderTooLong';
}

function checkHead(from: number, to: number): void {
  if (to - from > MAX_HEAD_BYTES) throw new HeaderTooLong(`a header block is over ${MAX_HEAD_BYTES} bytes`);
}
const MAX_PARTS = 2000;
const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);

/** Options of walkMime. */
export interface WalkOptions {
  readonly maxAttachments: number;
  /** The bytes are a prefix of the message (parts may be cut). */
  readonly truncated?: boolean;
}

/** Walks the message in `buf` (see the module comment). */
export function walkMime(buf: Buffer, options: WalkOptions): Walked {
  const end = headerEnd(buf);
  checkHead(0, end);
  const walked: Walked = { headerLines: headerLines(buf, 0, end), texts: [], attachments: [], attachmentCount: 0, fallback: null };
  let parts = 0;
  const leaf = (lines: readonly RawHeaderLine[], start: number, stop: number, cut: boolean, depth: number, alternative: boolean, root: boolean): void => {
    if (++parts > MAX_PARTS) return;
    const disposition = structured(firstValue(lines, 'content-disposition'));
    let ct = firstValue(lines, 'content-type');
    if (!ct) ct = disposition.value === 'attachment' ? 'application/octet-stream' : 'text/plain';
    const type = structured(ct);
    const contentType = type.value || (root ? 'text/plain' : '');
    const encoding = firstValue(lines, 'content-transfer-encoding').replace(/\([^()]*\)/g, '').toLowerCase().trim();
    if (contentType.startsWith('multipart/') && depth < MAX_DEPTH) {
      const boundary = (type.params.boundary ?? '').trimEnd();
      if (boundary && Buffer.byteLength(boundary) === boundary.length) {
        for (const part of splitParts(buf, start, stop, boundary, cut)) {
          const hEnd = headerEnd(buf, part.start, part.end);
          checkHead(part.start, hEnd);
          leaf(headerLines(buf, part.start, hEnd), hEnd, part.end, part.cut, depth + 1, alternative || contentType === 'multipart/alternative', false);
        }
        return;
      }
    }
    const dispo = disposition.value && disposition.value !== 'attachment' && disposition.value !== 'inline' ? 'attachment' : disposition.value || (TEXT_TYPES.has(contentType) ? 'inline' : 'attachment');
    const identity = !encoding || ['7bit', '8bit', 'binary'].includes(encoding);
    if (contentType === 'message/rfc822' && disposition.value === 'inline' && identity && depth < MAX_DEPTH) {
      const hEnd = headerEnd(buf, start, stop);
      const inner = headerLines(buf, start, hEnd);
      walked.texts.push({ type: 'meta', body: Buffer.from(embeddedMeta(inner)), alternative, root: false, truncated: false, encoding: '', charset: null, flowed: false, delSp: false });
      leaf(inner, hEnd, stop, cut, depth + 1, alternative, false);
      return;
    }
    if (TEXT_TYPES.has(contentType) && dispo === 'inline') {
      const params = type.params;
      const flowed = contentType === 'text/plain' && (params.format ?? '').toLowerCase().trim() === 'flowed';
      walked.texts.push({
        type: contentType as TextLeaf['type'],
        body: buf.subarray(start, stop),
        alternative,
        root,
        truncated: cut,
        encoding,
        charset: params.charset || null,
        flowed,
        delSp: flowed && (params.delsp ?? '').toLowerCase().trim() === 'yes',
      });
      return;
    }
    if (contentType === 'text/plain' && walked.fallback === null) {
      const charset = type.params.charset || null;
      walked.fallback = { type: 'text/plain', body: buf.subarray(start, stop), alternative, root, truncated: cut, encoding, charset, flowed: false, delSp: false };
    }
    walked.attachmentCount++;
    if (walked.attachments.length >= options.maxAttachments) return;
    const filename = disposition.params.filename || type.params.name || null;
    walked.attachments.push({
      filename: filename ? decodeName(filename) : null,
      contentType: contentType || 'application/octet-stream',
      size: sizeOf(stop - start, encoding),
      disposition: disposition.value || null,
      contentId: (firstValue(lines, 'content-id').replace(/^<|>$/g, '').trim() || null),
    });
  };
  leaf(walked.headerLines, end, buf.length, options.truncated === true, 0, false, true);
  return walked;
}

/** The lines mailparser shows for an embedded message (From, Subject, Date, To, Cc, Bcc). */
function embeddedMeta(lines: readonly RawHeaderLine[]): string {
  const out: string[] = [];
  for (const name of ['From', 'Subject', 'Date', 'To', 'Cc', 'Bcc']) {
    const found = lines.filter((l) => l.key === name.toLowerCase()).pop();
    if (!found) continue;
    let value = Buffer.from(String(libmime.decodeHeader(found.line)?.value ?? '').trim(), 'latin1').toString();
    if (!value) continue;
    if (name === 'Date') {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) value = date.toUTCString();
    } else if (name === 'Subject') value = decodeName(value);
    else value = parseAddresses([value]).map((a) => (a.name ? `"${a.name}" <${a.address}>` : a.address)).join(', ');
    out.push(`${name}: ${value}`);
  }
  return `\n${out.join('\n')}\n`;
}

function decodeName(name: string): string {
  try {
    return libmime.decodeWords(name);
  } catch {
    return name;
  }
}

/** Decoded size of an encoded body, estimated from its length (attachments are never decoded). */
function sizeOf(bytes: number, encoding: string): number {
  return encoding === 'base64' ? Math.floor((bytes * 3) / 4 / 78 * 76) : bytes;
}

/** The parts of a multipart body in `buf[start, stop)`, between `--boundary` lines. */
function* splitParts(buf: Buffer, start: number, stop: number, boundary: string, cut: boolean): Generator<{ start: number; end: number; cut: boolean }> {
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  let partStart = -1;
  let i = start;
  while (i < stop) {
    const at = buf.indexOf(delim, i);
    if (at < 0 || at >= stop) break;
    const lineStart = at === start || buf[at - 1] === 0x0a;
    if (!lineStart) {
      i = at + delim.length;
      continue;
    }
    const after = at + delim.length;
    const close = buf[after] === 0x2d && buf[after + 1] === 0x2d;
    const nl = buf.indexOf(0x0a, after);
    const lineEnd = nl < 0 || nl >= stop ? stop : nl + 1;
    // A delimiter line may end in whitespace only (or `--` when it closes).
    const rest = buf.toString('latin1', after + (close ? 2 : 0), lineEnd);
    if (rest.trim() !== '') {
      i = lineEnd;
      continue;
    }
    if (partStart >= 0) {
      let end = at;
      if (buf[end - 1] === 0x0a) end--;
      if (buf[end - 1] === 0x0d) end--;
      yield { start: partStart, end: Math.max(partStart, end), cut: false };
    }
    if (close) return;
    partStart = lineEnd;
    i = lineEnd;
  }
  // An unclosed last part runs to the end of the bytes (cut when they are a prefix).
  if (partStart >= 0 && partStart < stop) yield { start: partStart, end: stop, cut };
}
