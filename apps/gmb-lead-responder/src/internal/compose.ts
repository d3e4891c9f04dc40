/**
 * Small composer for the messages the responder APPENDs to Drafts (held replies): plain
 * UTF-8 text, base64 body, RFC 2047 headers. Sent replies are composed by @jobs/mail's SMTP
 * sender, whose bytes are what is copied to Sent.
 */
import { randomUUID } from 'node:crypto';

/** A fresh Message-ID under `domain`. */
export function newMessageId(domain: string, id: () => string = randomUUID): string {
  return `<${id()}@${domain}>`;
}

/** `Re: subject`, without stacking `Re: Re:`. */
export function replySubject(subject: string): string {
  const stripped = subject.replace(/^\s*((re|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return `Re: ${stripped}`;
}

function encodeWord(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  // chunks of whole characters, each under the 75-character encoded-word limit
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch) > 42) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

function mailbox(address: string, name?: string): string {
  if (!name) return address;
  const encoded = encodeWord(name);
  const display = encoded === name ? `"${name.replace(/["\\]/g, '')}"` : encoded;
  return `${display} <${address}>`;
}

/** What a composed draft holds. */
export interface DraftMessage {
  readonly from: string;
  readonly fromName?: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly date: Date;
  /** Extra headers (name -> one-line value). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** RFC 5322 bytes of a draft. */
export function composeDraft(m: DraftMessage): Buffer {
  const lines = [
    `From: ${mailbox(m.from, m.fromName)}`,
    `To: ${m.to}`,
    `Subject: ${encodeWord(m.subject)}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${m.messageId}`,
  ];
  if (m.inReplyTo) lines.push(`In-Reply-To: ${m.inReplyTo}`);
  if (m.references?.length) lines.push(`References: ${m.references.join('\r\n ')}`);
  for (const [name, value] of Object.entries(m.headers ?? {})) lines.push(`${name}: ${encodeWord(value)}`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64');
  const body = (Buffer.from(m.text.replace(/\r?\n/g, '\r\n')).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`);
}
