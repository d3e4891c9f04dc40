/**
 * Address headers with a spoof check. mailparser decodes RFC 2047 encoded words in display names
 * (and drops an encoded address part that does not decode to a plain address), but it does not
 * say that a name such as `=?utf-8?b?Ym9zc0BiYW5rLmNvbQ==?=` shows "boss@bank.com" while the real
 * address is another. A sender allowlist must never trust such an address, so it is flagged.
 */
import { parseAddressHeader } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import type { MailAddress } from '../message.ts';

const ENCODED_WORD = /=\?[^?\s]+\?([BbQq])\?([^?\s]*)\?=/g;

/** Decodes the payload of one encoded word to bytes (charset-agnostic: enough to look for "@"). */
function encodedWordBytes(kind: string, payload: string): Buffer {
  if (kind === 'B' || kind === 'b') return Buffer.from(payload, 'base64');
  const qp = payload
    .replace(/_/g, ' ')
    .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(qp, 'latin1');
}

/**
 * True when any encoded word in `raw` decodes to something holding an address sign: "@" in an
 * ASCII-compatible or UTF-16 charset, or the full-width and small "@" look-alikes in UTF-8.
 */
export function encodedWordHidesAddress(raw: string): boolean {
  for (const m of raw.matchAll(ENCODED_WORD)) {
    const bytes = encodedWordBytes(m[1]!, m[2]!);
    if (bytes.includes(0x40)) return true;
    if (bytes.includes(Buffer.from('＠')) || bytes.includes(Buffer.from('﹫'))) return true;
    if (bytes.includes(0x3c) || bytes.includes(0x3e)) return true; // "<" or ">" inside a name
  }
  return false;
}

interface RawEntry {
  readonly name: string;
  readonly address: string;
}

interface RawParsed {
  readonly name?: string | undefined;
  readonly address?: string | undefined;
  readonly group?: readonly RawParsed[] | undefined;
}

function flattenRaw(entries: readonly RawParsed[], out: RawEntry[]): void {
  for (const entry of entries) {
    if (entry.group) flattenRaw(entry.group, out);
    else out.push({ name: entry.name ?? '', address: entry.address ?? '' });
  }
}

interface DecodedEntry {
  readonly name: string;
  readonly address?: string;
  readonly group?: readonly DecodedEntry[];
}

function flattenDecoded(entries: readonly DecodedEntry[], out: DecodedEntry[]): void {
  for (const entry of entries) {
    if (entry.group) flattenDecoded(entry.group, out);
    else out.push(entry);
  }
}

/** Lower-cases the domain part only: local parts are case-sensitive by the letter of RFC 5321. */
function normalizeAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address.trim() : `${address.slice(0, at).trim()}@${address.slice(at + 1).trim().toLowerCase()}`;
}

/**
 * Parses raw address header values (several when the header repeats) into MailAddress entries,
 * groups flattened, each with its spoof flag.
 */
export function parseAddresses(values: readonly string[], limit = 200): MailAddress[] {
  const out: MailAddress[] = [];
  for (const raw of values) {
    const rawEntries: RawEntry[] = [];
    flattenRaw(addressparser(raw), rawEntries);
    const decoded: DecodedEntry[] = [];
    flattenDecoded(parseAddressHeader(raw).value, decoded);
    // Both lists come from addressparser over the same string, so they line up; if a version
    // difference ever made them disagree, flag the whole header rather than guess.
    const aligned = rawEntries.length === decoded.length;
    const headerWide = !aligned && encodedWordHidesAddress(raw);
    decoded.forEach((entry, i) => {
      const rawEntry = aligned ? rawEntries[i] : undefined;
      const spoof = rawEntry
        ? encodedWordHidesAddress(rawEntry.name) || /=\?/.test(rawEntry.address)
        : headerWide;
      if (out.length < limit) {
        out.push({
          address: normalizeAddress(entry.address ?? ''),
          name: entry.name,
          encodedWordSpoof: spoof,
        });
      }
    });
  }
  return out;
}
