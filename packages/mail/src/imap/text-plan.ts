/**
 * The text plan of a FETCH: for a reader that shows header fields and the start of the text
 * (the digest), a message is fetched as BODYSTRUCTURE plus the header fields it reads, then
 * only a bounded partial of its first inline text part (`BODY.PEEK[n]<0.N>`), text/plain
 * before text/html. From those a small message is rebuilt: the header fields (the top-level
 * Content-Type kept, so a multipart/report still reads as one), the text part with its own
 * Content-Type and transfer encoding (decoded by the parser by both), and a header-only stub
 * for each attachment (its name and type, never its content). A message with no inline text
 * part (text only in an attachment, TNEF, an encrypted body) is fetched whole instead.
 */
import type { MessageStructureObject } from 'imapflow';

/** Header fields a text plan fetches (Received only for messages without a usable Date). */
export const TEXT_PLAN_HEADERS: readonly string[] = Object.freeze([
  'message-id', 'references', 'in-reply-to', 'from', 'reply-to', 'subject', 'date', 'mime-version', 'content-type',
  'content-transfer-encoding', 'auto-submitted', 'precedence', 'list-id', 'list-unsubscribe', 'x-auto-response-suppress',
  'x-autoreply', 'x-autorespond', 'x-autoresponder', 'return-path', 'x-spam-flag', 'x-spam-status',
]);

/** One leaf of a BODYSTRUCTURE, as the rebuild needs it. */
interface Leaf {
  readonly part: string;
  readonly type: string;
  readonly node: MessageStructureObject;
}

/** What to fetch of one message: its text part (part number) and the attachments to stub. */
export interface TextPlan {
  /** The root is multipart: its boundary, to rebuild under. */
  readonly boundary: string | null;
  readonly text: Leaf;
  readonly attachments: readonly Leaf[];
}

const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);

/** The plan for a BODYSTRUCTURE, or null when the message must be fetched whole. */
export function planText(root: MessageStructureObject): TextPlan | null {
  const texts: Leaf[] = [];
  const attachments: Leaf[] = [];
  const walk = (node: MessageStructureObject, isRoot: boolean, depth: number): void => {
    const type = node.type.toLowerCase();
    if (type.startsWith('multipart/')) {
      if (depth < 32) for (const child of node.childNodes ?? []) walk(child, false, depth + 1);
      return;
    }
    // a single-part message has its body at part "1" (RFC 3501 section 6.4.5)
    const part = node.part ?? (isRoot ? '1' : '');
    const disposition = node.disposition?.toLowerCase() ?? '';
    const inline = disposition === 'inline' || (disposition === '' && TEXT_TYPES.has(type));
    if (inline && TEXT_TYPES.has(type)) texts.push({ part, type, node });
    else attachments.push({ part, type, node });
  };
  walk(root, true, 0);
  const text = texts.find((t) => t.type === 'text/plain') ?? texts.find((t) => t.type === 'text/html');
  if (!text?.part) return null;
  const multipart = root.type.toLowerCase().startsWith('multipart/');
  const boundary = multipart ? (root.parameters?.boundary ?? null) : null;
  if (multipart && !boundary) return null;
  return { boundary, text, attachments };
}

function params(values: Record<string, string> | undefined, keep: readonly string[]): string {
  let out = '';
  for (const key of keep) {
    const value = values?.[key];
    if (value !== undefined) out += /^[\x21-\x7e]*$/.test(value) && !/[";\\]/.test(value) ? `; ${key}="${value}"` : `; ${key}*=utf-8''${encodeURIComponent(value)}`;
  }
  return out;
}

/** The bytes up to the last line end: a partial never ends inside a base64 quad or a `=XX`. */
function toLineEnd(bytes: Buffer): Buffer {
  const nl = bytes.lastIndexOf(0x0a);
  return nl < 0 ? bytes : bytes.subarray(0, nl + 1);
}

/** Rebuilds the small message (see the module comment); `cut` says the partial hit its bound. */
export function rebuildMessage(header: Buffer, plan: TextPlan, body: Buffer, cut: boolean): Buffer {
  const text = cut ? toLineEnd(body) : body;
  const head = header.toString('latin1').replace(/(\r?\n)+$/, '');
  const node = plan.text.node;
  const partHead = [`Content-Type: ${plan.text.type}${params(node.parameters, ['charset', 'format', 'delsp'])}`];
  if (node.encoding) partHead.push(`Content-Transfer-Encoding: ${node.encoding}`);
  if (plan.boundary === null) {
    // single part: the top-level Content-Type is the part's own; the fetched one is replaced
    const kept = head.split(/\r?\n(?![ \t])/).filter((l) => !/^(content-type|content-transfer-encoding)\s*:/i.test(l));
    return Buffer.concat([Buffer.from(`${[...kept, ...partHead].join('\r\n')}\r\n\r\n`, 'latin1'), text]);
  }
  const delim = `--${plan.boundary}`;
  const out: Buffer[] = [Buffer.from(`${head}\r\n\r\n${delim}\r\n${partHead.join('\r\n')}\r\n\r\n`, 'latin1'), text];
  for (const a of plan.attachments) {
    const n = a.node;
    const disposition = n.disposition ? `\r\nContent-Disposition: ${n.disposition}${params(n.dispositionParameters, ['filename'])}` : '';
    out.push(Buffer.from(`\r\n${delim}\r\nContent-Type: ${a.type}${params(n.parameters, ['name'])}${disposition}\r\n\r\n`, 'latin1'));
  }
  out.push(Buffer.from(`\r\n${delim}--\r\n`, 'latin1'));
  return Buffer.concat(out);
}
