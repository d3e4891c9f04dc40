/**
 * The lean parse: what the digest shows, read straight from the bytes (header lines, the text
 * parts, attachment metadata) with no stream, no address decoding and no attachment decoding,
 * built into the same MailMessage as parseMessage builds (internal/build-message.ts), so
 * guards, threading and summaries see the same thing. It reads a whole message or a prefix of
 * one (a Maildir file read up to a cap, an IMAP partial fetch); the lead responder, which
 * needs a full parse, keeps parseMessage.
 */
import type { ParseResult } from '../message.ts';
import type { ParseOptions } from '../parse.ts';
import { buildMessage, type Collected } from '../internal/build-message.ts';
import { decodePart } from './decode.ts';
import { decodedSubject } from './header-block.ts';
import { type Walked, walkMime } from './walk.ts';

/** Options of parseLean: parseMessage's caps, plus what is known of the bytes. */
export interface LeanOptions extends Omit<ParseOptions, 'timeoutMs'> {
  /** The bytes are only the start of the message; `sizeBytes` is its whole size. */
  readonly truncated?: boolean;
  /** Size of the whole message (default: the bytes given). */
  readonly sizeBytes?: number;
}

const DEFAULTS = { maxBytes: 50 * 1024 * 1024, maxTextChars: 1024 * 1024, maxAttachments: 500 };

/** mailparser's text and html of a walk: plain parts joined, HTML kept for when there is no text. */
export function collectText(walked: Walked, maxChars: number): Pick<Collected, 'text' | 'html'> {
  const hasText = walked.texts.some((t) => t.type === 'text/plain' || t.type === 'message/delivery-status');
  const text: string[] = [];
  const html: string[] = [];
  let chars = 0;
  for (const leaf of walked.texts) {
    if (chars > maxChars) break;
    if (leaf.type === 'meta') {
      if (hasText) text.push(leaf.body.toString());
      continue;
    }
    const content = decodePart(leaf.body, leaf, leaf.truncated);
    if (!content) continue;
    chars += content.length;
    if (leaf.type !== 'text/html') text.push(content);
    else {
      if ((!leaf.alternative && hasText) || (leaf.root && !hasText)) text.push('');
      html.push(content);
    }
  }
  // No inline text at all: the text of a text/plain attachment is the best there is.
  if (!text.join('').trim() && !html.join('').trim() && walked.fallback) text.push(decodePart(walked.fallback.body, walked.fallback, walked.fallback.truncated));
  return { text: text.length ? text.join('\n') : undefined, html: html.length ? html.join('<br/>\n') : undefined };
}

/** Parses `raw` leanly. Never throws for bad mail: it is quarantined (EPARSE, ETOOBIG). */
export function parseLean(raw: Buffer, options: LeanOptions = {}): ParseResult {
  const caps = { ...DEFAULTS, ...options };
  const sizeBytes = options.sizeBytes ?? raw.length;
  if (sizeBytes > caps.maxBytes) {
    return { ok: false, code: 'ETOOBIG', reason: `message is ${sizeBytes} bytes, over the ${caps.maxBytes}-byte cap`, sizeBytes };
  }
  try {
    const walked = walkMime(raw, { maxAttachments: caps.maxAttachments, truncated: options.truncated === true });
    const collected: Collected = {
      headerLines: walked.headerLines,
      subject: decodedSubject(walked.headerLines),
      ...collectText(walked, caps.maxTextChars),
      attachments: walked.attachments,
      attachmentCount: walked.attachmentCount,
    };
    const extra = { ...(options.uid === undefined ? {} : { uid: options.uid }), ...(options.path === undefined ? {} : { path: options.path }) };
    return { ok: true, message: buildMessage(collected, sizeBytes, caps, extra) };
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ok: false, code: 'EPARSE', reason: `lean parse failed: ${reason}`.slice(0, 300), sizeBytes, cause: err };
  }
}
