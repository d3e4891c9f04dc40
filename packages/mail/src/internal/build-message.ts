/**
 * Turns what the streaming parser produced (raw header lines, text, html, attachment metadata)
 * into the normalized MailMessage. Header-derived fields come from the raw lines, so the loop
 * guards see exactly what the sender wrote.
 */
import { createHash } from 'node:crypto';
import type { AttachmentMeta, AutomationHeaders, MailMessage } from '../message.ts';
import { parseAddresses } from './addresses.ts';
import { htmlToText } from './html-text.ts';
import { type RawHeaderLine, type RawHeaders, extractIds, first, firstOf, indexHeaderLines, parseDate, parseReturnPath, receivedDate } from './raw-headers.ts';

/** What parse.ts gathers while the message streams. */
export interface Collected {
  headerLines: readonly RawHeaderLine[];
  /** Subject as mailparser decoded it (encoded words, charsets). */
  subject: string | undefined;
  text: string | undefined;
  html: string | false | undefined;
  attachments: AttachmentMeta[];
  attachmentCount: number;
}

interface Caps {
  readonly maxTextChars: number;
}

interface Extra {
  readonly uid?: number;
  readonly path?: string;
}

function contentTypeOf(headers: RawHeaders): { type: string; reportType: string | null } {
  const value = first(headers, 'content-type');
  if (!value) return { type: 'text/plain', reportType: null };
  const type = (value.split(';')[0] ?? '').trim().toLowerCase() || 'text/plain';
  const report = /;\s*report-type\s*=\s*"?([^";\s]+)"?/i.exec(value);
  return { type, reportType: report ? report[1]!.toLowerCase() : null };
}

function automationOf(headers: RawHeaders): AutomationHeaders {
  const { type, reportType } = contentTypeOf(headers);
  return {
    autoSubmitted: first(headers, 'auto-submitted'),
    precedence: first(headers, 'precedence'),
    listId: first(headers, 'list-id'),
    listUnsubscribe: first(headers, 'list-unsubscribe'),
    autoResponseSuppress: first(headers, 'x-auto-response-suppress'),
    autoReply: firstOf(headers, ['x-autoreply', 'x-autorespond', 'x-autoresponder']),
    returnPath: parseReturnPath(first(headers, 'return-path')),
    spamFlag: first(headers, 'x-spam-flag'),
    spamStatus: first(headers, 'x-spam-status'),
    contentType: type,
    reportType,
  };
}

/** Stable id for a message without a usable Message-ID: a hash of its header block. */
function syntheticId(lines: readonly RawHeaderLine[]): string {
  const hash = createHash('sha256');
  for (const { line } of lines) hash.update(line, 'latin1').update('\n');
  return `<${hash.digest('hex').slice(0, 32)}@synthetic.invalid>`;
}

function bodyText(collected: Collected, maxChars: number): { text: string; source: MailMessage['textSource'] } {
  const text = (collected.text ?? '').trim();
  if (text) return { text, source: 'text' };
  if (typeof collected.html === 'string' && collected.html.trim()) {
    return { text: htmlToText(collected.html, maxChars), source: 'html' };
  }
  return { text: '', source: 'none' };
}

/** Builds the MailMessage. Throws only on a bug; parse.ts quarantines in that case. */
export function buildMessage(collected: Collected, sizeBytes: number, caps: Caps, extra: Extra): MailMessage {
  const headers = indexHeaderLines(collected.headerLines);
  const ownId = extractIds(first(headers, 'message-id'))[0];
  const references = extractIds((headers.get('references') ?? []).join(' '));
  const inReplyTo = extractIds(first(headers, 'in-reply-to'))[0] ?? null;
  const from = parseAddresses(headers.get('from')?.slice(0, 1) ?? [])[0] ?? null;
  const body = bodyText(collected, caps.maxTextChars);
  const truncated = body.text.length > caps.maxTextChars;
  return {
    messageId: ownId ?? syntheticId(collected.headerLines),
    messageIdSynthetic: ownId === undefined,
    ...(extra.uid === undefined ? {} : { uid: extra.uid }),
    ...(extra.path === undefined ? {} : { path: extra.path }),
    inReplyTo,
    references,
    from,
    replyTo: parseAddresses(headers.get('reply-to')?.slice(0, 1) ?? []),
    to: parseAddresses(headers.get('to') ?? []),
    cc: parseAddresses(headers.get('cc') ?? []),
    subject: (collected.subject ?? first(headers, 'subject') ?? '').replace(/\s+/g, ' ').trim(),
    // An undated (or junk-dated) message falls back to when its last hop received it.
    date: parseDate(first(headers, 'date')) ?? receivedDate(first(headers, 'received')),
    text: truncated ? body.text.slice(0, caps.maxTextChars) : body.text,
    textSource: body.source,
    textTruncated: truncated,
    attachments: collected.attachments,
    automation: automationOf(headers),
    sizeBytes,
  };
}
