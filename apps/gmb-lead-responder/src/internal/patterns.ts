/**
 * Address patterns of the rules file: matched against the parsed address (`local@domain`,
 * lower-cased), never the display name. `*` matches any run of characters; nothing else is
 * special, so `*@wix.example` does not match `a@mail.wix.example`.
 */
import type { MailAddress } from '@jobs/mail/message';

function toRegExp(pattern: string): RegExp {
  const body = pattern
    .trim()
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

const cache = new Map<string, RegExp>();

/** True when `address` (bare) matches `pattern`. */
export function matchesPattern(address: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = toRegExp(pattern);
    cache.set(pattern, re);
  }
  return re.test(address.trim().toLowerCase());
}

/** True when the address matches any pattern. */
export function matchesAny(address: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(address, p));
}

/**
 * True when a parsed header address may be trusted for an allowlist: not flagged as an
 * encoded-word spoof, and no address sign in its display name (`"boss@bank" <x@evil>`).
 */
export function trustworthy(a: MailAddress | null | undefined): a is MailAddress {
  return !!a && a.address !== '' && !a.encodedWordSpoof && !/[@＠﹫<>]/.test(a.name);
}

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\.[A-Za-z]{2,}$/;

/** True for a plain address a reply can go to. */
export function isPlainAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

/** The domain of a bare address, lower-cased. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
