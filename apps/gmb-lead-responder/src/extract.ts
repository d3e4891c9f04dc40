/**
 * Lead details from a notification body or a direct mail: the customer's name, reply
 * address, phone and message. Body fields are `Label: value` lines (spaces around ignored,
 * the label compared case-insensitively), or a label alone on its line followed by the value
 * lines up to the first blank line, which is how form plugins lay out long answers.
 */
import type { MailAddress, MailMessage } from '@jobs/mail/message';
import { stripQuotes } from '@jobs/mail/quote';
import { isPlainAddress } from './internal/patterns.ts';
import type { FieldLabels } from './rules.ts';

/** What a lead says about the customer. */
export interface LeadDetails {
  readonly name: string | null;
  /** The reply address, lower-cased; null when none was found. */
  readonly email: string | null;
  readonly phone: string | null;
  readonly message: string;
  /**
   * The start of the body, whitespace collapsed: when the labels missed the name or the phone,
   * the owner's notice quotes it so the owner can still call back.
   */
  readonly excerpt?: string;
  /** `phone`, else the first phone number anywhere in the body: for the owner to call back, never allowed in a draft. */
  readonly callback?: string | null;
}

const ANGLE = /<\s*([^<>\s]+@[^<>\s]+)\s*>/;
const BARE = /[^\s<>(),;:"'[\]\\]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE = /(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b/;
const MAX_MESSAGE = 4000;
const MAX_EXCERPT = 300;
const FIRST_NAME = ['First name', 'First', 'Given name', 'Forename', 'Prénom', 'Vorname'];
const LAST_NAME = ['Last name', 'Last', 'Surname', 'Family name', 'Nom', 'Nachname'];
// a line whose label speaks of a name, a customer or a contact: `Lead name:`, `Customer:`
const NAME_LINE = /^\s*(?:[\p{L} ]*\bname|customer|contact|client|lead)\s*:\s*([^\n@]{2,60})$/imu;

function escapeLabel(label: string): string {
  return label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The value of the first label present in `text`, or null. */
export function bodyField(text: string, labels: readonly string[]): string | null {
  const lines = text.split(/\r?\n/);
  for (const label of labels) {
    const re = new RegExp(`^\\s*${escapeLabel(label)}\\s*:\\s*(.*)$`, 'i');
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(lines[i]!);
      if (!m) continue;
      const inline = m[1]!.trim();
      if (inline !== '') return inline;
      // a label alone on its line: the value is the following lines up to a blank line
      const block: string[] = [];
      for (let j = i + 1; j < lines.length && lines[j]!.trim() !== ''; j++) block.push(lines[j]!.trim());
      if (block.length) return block.join('\n');
    }
  }
  return null;
}

/** `Jenna Whitfield <jenna@example.org>` -> address; a bare address; else null. */
export function addressIn(value: string | null): string | null {
  if (!value) return null;
  const found = ANGLE.exec(value)?.[1] ?? BARE.exec(value)?.[0] ?? null;
  const address = found?.trim().toLowerCase() ?? null;
  return address && isPlainAddress(address) ? address : null;
}

/** `Jenna Whitfield <jenna@example.org>` -> `Jenna Whitfield`; a value without an address as is. */
export function nameIn(value: string | null): string | null {
  if (!value) return null;
  const name = value
    .replace(ANGLE, '')
    .replace(BARE, '')
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .trim();
  return name === '' || name.length > 100 ? null : name.split('\n')[0]!;
}

/** `First name` + `Last name` fields (Wix and others split the name), or null. */
export function splitName(text: string): string | null {
  const first = bodyField(text, FIRST_NAME);
  const last = bodyField(text, LAST_NAME);
  const name = [first, last].filter((p): p is string => !!p && !p.includes('@')).join(' ').trim();
  return name === '' || name.length > 100 ? null : name;
}

/** A name from any line labelled like one, when the configured labels found none. */
function nameLine(text: string): string | null {
  return NAME_LINE.exec(text)?.[1]?.trim() || null;
}

function excerptOf(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > MAX_EXCERPT ? `${t.slice(0, MAX_EXCERPT)}…` : t;
}

/** The first phone number in a text, as written. */
export function phoneIn(value: string | null): string | null {
  if (!value) return null;
  return PHONE.exec(value)?.[0].trim() ?? null;
}

function clip(text: string): string {
  const t = text.trim();
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE)}\n[...]` : t;
}

/** Where a notification source looks for the customer's address. */
export type ReplyAddressPlace = 'reply-to' | 'body' | 'from';

/** Details of a notification (form, booking, Local Services). */
export function extractFromNotification(
  message: MailMessage,
  labels: FieldLabels,
  places: readonly ReplyAddressPlace[],
): LeadDetails {
  const text = message.text;
  const nameValue = bodyField(text, labels.name);
  const emailValue = bodyField(text, labels.email);
  let email: string | null = null;
  // the configured labels first; then a split first/last name; then any line labelled as a name
  let name = nameIn(nameValue) ?? splitName(text) ?? nameIn(nameLine(text));
  for (const place of places) {
    if (place === 'reply-to') {
      const r = firstPlain(message.replyTo);
      if (r) {
        email = r.address.toLowerCase();
        name ??= r.name || null;
      }
    } else if (place === 'body') email = addressIn(emailValue);
    else if (place === 'from' && message.from && isPlainAddress(message.from.address)) email = message.from.address.toLowerCase();
    if (email) break;
  }
  const phone = phoneIn(bodyField(text, labels.phone));
  const body = bodyField(text, labels.message) ?? stripQuotes(text);
  // a phone under a label the rules do not know is still a phone for the owner: scan the body
  return { name, email, phone, message: clip(body), excerpt: excerptOf(text), callback: phone ?? phoneIn(text) };
}

/** Details of mail written straight to the leads address: Reply-To if present, else From. */
export function extractFromDirect(message: MailMessage): LeadDetails {
  const target = firstPlain(message.replyTo) ?? (message.from && isPlainAddress(message.from.address) ? message.from : null);
  const body = stripQuotes(message.text);
  return {
    name: target?.name || null,
    email: target ? target.address.toLowerCase() : null,
    phone: phoneIn(body),
    message: clip(body),
    excerpt: excerptOf(body),
    callback: phoneIn(body),
  };
}

function firstPlain(list: readonly MailAddress[]): MailAddress | null {
  return list.find((a) => isPlainAddress(a.address)) ?? null;
}
