/**
 * Messages above the size cap are never downloaded whole. From BODYSTRUCTURE we pick the
 * first inline text/plain and text/html parts, download only those (decoded, capped), and
 * rebuild a small message: the original header block plus a multipart/alternative of the
 * text parts. Everything else (attachments, images, nested messages) is listed, not fetched.
 */
import { randomBytes } from 'node:crypto';
import type { MessageStructureObject } from 'imapflow';

/** A body part that was not downloaded. */
export interface OmittedPart {
  /** IMAP part number ("2", "1.3"). */
  readonly part: string;
  readonly contentType: string;
  /** Encoded size as the server reported it (bytes on the wire). */
  readonly size: number;
  readonly filename: string | null;
}

/** The parts of an oversized message to download, and those left out. */
export interface PartPlan {
  readonly plain: string | null;
  readonly html: string | null;
  readonly omitted: readonly OmittedPart[];
}

function filenameOf(node: MessageStructureObject): string | null {
  return node.dispositionParameters?.filename ?? node.parameters?.name ?? null;
}

/** Picks the text parts to fetch from a BODYSTRUCTURE tree. */
export function planParts(root: MessageStructureObject): PartPlan {
  let plain: string | null = null;
  let html: string | null = null;
  const omitted: OmittedPart[] = [];
  const walk = (node: MessageStructureObject, isRoot: boolean): void => {
    const type = node.type.toLowerCase();
    if (type.startsWith('multipart/') && node.childNodes) {
      for (const child of node.childNodes) walk(child, false);
      return;
    }
    // a single-part message has its body at part "1" (RFC 3501 section 6.4.5)
    const part = node.part ?? (isRoot ? '1' : '');
    const inline = node.disposition?.toLowerCase() !== 'attachment';
    if (inline && type === 'text/plain' && plain === null) {
      plain = part;
    } else if (inline && type === 'text/html' && html === null) {
      html = part;
    } else {
      omitted.push({ part, contentType: type, size: node.size ?? 0, filename: filenameOf(node) });
    }
  };
  walk(root, true);
  return { plain, html, omitted };
}

/** Header fields describing the body; replaced because the body is rebuilt. */
const BODY_HEADERS = /^(content-type|content-transfer-encoding|mime-version)$/i;

/** The header block without its MIME body fields (folded continuation lines included). */
export function stripBodyHeaders(header: Buffer): string {
  const lines = header.toString('latin1').replace(/\r?\n\r?\n[\s\S]*$/, '').split(/\r?\n/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) kept.push(line);
      continue;
    }
    const name = line.slice(0, Math.max(0, line.indexOf(':')));
    dropping = BODY_HEADERS.test(name.trim());
    if (!dropping && line !== '') kept.push(line);
  }
  return kept.join('\r\n');
}

function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/**
 * The reduced message: original headers (latin1 round trip keeps raw 8-bit bytes), a marker
 * header, and the decoded UTF-8 text parts re-encoded as base64.
 */
export function buildReducedMessage(input: {
  readonly header: Buffer;
  readonly plain: Buffer | null;
  readonly html: Buffer | null;
  readonly originalSize: number;
  readonly omitted: readonly OmittedPart[];
}): Buffer {
  const boundary = `reduced-${randomBytes(12).toString('hex')}`;
  const summary = input.omitted.map((p) => `${p.part} ${p.contentType} ${p.size}`).join(', ');
  const out: string[] = [
    stripBodyHeaders(input.header),
    `X-Jobs-Reduced: original ${input.originalSize} bytes; omitted ${input.omitted.length} part(s)${summary ? `: ${summary}` : ''}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
  ];
  for (const [type, body] of [
    ['text/plain', input.plain],
    ['text/html', input.html],
  ] as const) {
    if (body === null) continue;
    out.push(`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '');
    out.push(base64Lines(body));
  }
  out.push(`--${boundary}--`, '');
  return Buffer.from(out.join('\r\n'), 'latin1');
}
