/**
 * Outgoing messages: checked, then built once into RFC 5322 bytes. The same bytes are sent
 * over SMTP and can be APPENDed to Sent, so the copy is identical to what the server got.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { MailError } from '../errors.ts';

/** An address, bare (`dana@example.com`) or with a display name. */
export type AddressInput = string | { readonly name: string; readonly address: string };

/** What `send` takes. One recipient, a Message-ID chosen before sending. */
export interface OutgoingMessage {
  readonly from: AddressInput;
  /** Exactly one recipient. */
  readonly to: AddressInput;
  readonly replyTo?: AddressInput;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** `<id@domain>`, chosen by the caller (and journaled) before sending, so a resend can be detected. */
  readonly messageId: string;
  readonly inReplyTo?: string;
  /** Message-IDs, oldest first. */
  readonly references?: readonly string[];
  /** RFC 3834: `auto-replied` for answers, `auto-generated` for digests. */
  readonly autoSubmitted: 'auto-replied' | 'auto-generated';
}

/** A composed message: the exact bytes and the SMTP envelope. */
export interface ComposedMessage {
  readonly raw: Buffer;
  readonly messageId: string;
  readonly envelope: { readonly from: string; readonly to: string };
}

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

function checkAddress(field: string, value: AddressInput): { name: string; address: string } {
  const parsed = typeof value === 'string' ? { name: '', address: value } : value;
  if (typeof parsed?.address !== 'string' || !ADDRESS.test(parsed.address) || parsed.address.length > 254) {
    throw new MailError(
      'ECONFIG',
      `${field} must be exactly one plain address like name@example.com, got ${JSON.stringify(parsed?.address)}`,
    );
  }
  if (typeof parsed.name !== 'string' || /[\r\n]/.test(parsed.name)) {
    throw new MailError('ECONFIG', `${field} display name must be one line`);
  }
  return { name: parsed.name, address: parsed.address };
}

function checkId(field: string, value: string): string {
  if (!MESSAGE_ID.test(value)) {
    throw new MailError('ECONFIG', `${field} must look like <id@domain>, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A fresh Message-ID under `domain` (e.g. the sender's domain). */
export function createMessageId(domain: string, randomId: () => string = randomUUID): string {
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) {
    throw new MailError('ECONFIG', `Message-ID domain must be a host name, got ${JSON.stringify(domain)}`);
  }
  return `<${randomId()}@${domain}>`;
}

/** `Re: subject`, without stacking `Re: Re:`. */
export function replySubject(subject: string): string {
  const stripped = subject.replace(/^\s*((re|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, '');
  return `Re: ${stripped}`;
}

/** Checks the message and builds its bytes once. `date` is the Date header. */
export async function composeMessage(message: OutgoingMessage, date: Date): Promise<ComposedMessage> {
  const from = checkAddress('from', message.from);
  const to = checkAddress('to', message.to);
  const replyTo = message.replyTo === undefined ? undefined : checkAddress('replyTo', message.replyTo);
  const messageId = checkId('messageId', message.messageId);
  const inReplyTo = message.inReplyTo === undefined ? undefined : checkId('inReplyTo', message.inReplyTo);
  const references = (message.references ?? []).map((r) => checkId('references', r));
  if (typeof message.subject !== 'string' || /[\r\n]/.test(message.subject)) {
    throw new MailError('ECONFIG', 'subject must be a string of one line');
  }
  if (typeof message.text !== 'string') throw new MailError('ECONFIG', 'text must be a string');
  if (message.autoSubmitted !== 'auto-replied' && message.autoSubmitted !== 'auto-generated') {
    throw new MailError('ECONFIG', `autoSubmitted must be auto-replied or auto-generated, got ${String(message.autoSubmitted)}`);
  }
  const composer = new MailComposer({
    from,
    to,
    ...(replyTo ? { replyTo } : {}),
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    messageId,
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references.length ? { references } : {}),
    date,
    headers: {
      'Auto-Submitted': message.autoSubmitted,
      // asks Exchange and similar not to answer with out-of-office replies (loop guard)
      'X-Auto-Response-Suppress': 'All',
    },
  });
  const raw = await composer.compile().build();
  return { raw, messageId, envelope: { from: from.address, to: to.address } };
}
