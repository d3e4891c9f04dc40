/**
 * Every link in a text, read with the WHATWG URL parser as a browser or a mail client that
 * turns text into links would: `http://0xcb007105/` is the IPv4 host 203.0.113.5, `пример.рф`
 * is `xn--e1afmkfd.xn--p1ai`, a Cyrillic `а` in `exаmple` makes another host. A candidate
 * is a token with a scheme (`https://`, `hxxp://`, `//`), a bracketed IPv6 host, a dotted
 * IPv4 address, or a bare `name.tld` whose last label is letters of any script. Run it on
 * normalised text (normalise.ts) with email addresses removed.
 */

import { domainToASCII } from 'node:url';

/** One link: as written, and the host the URL parser made of it ('' when it has none). */
export interface Link {
  readonly text: string;
  readonly host: string;
  /** True for an IPv4 or IPv6 host: never an allowed domain. */
  readonly ip: boolean;
}

const SEPARATORS = /[\s<>"'`()[\]{}|\\^]+/u;
const SCHEME_AT = /(?:[a-z][a-z0-9+.-]*:)?\/\/|\b(?:https?|ftps?|wss?):/i;
const IPV6 = /\[[0-9a-f:.]+\]/i;
const IPV4 = /^\d{1,10}(?:\.\d{1,10}){3}(?::\d+)?(?:[/?#]|$)/;
const BARE_HOST = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}_-]*\.)+(?:\p{L}[\p{L}\p{M}-]*\p{L}|xn--[a-z0-9-]+)(?::\d+)?(?:[/?#]|$)/iu;
const TRAILING = /[.,;:!?*_~]+$/;

function hostOf(candidate: string): Link | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(candidate) ? candidate : `http://${candidate.replace(/^\/\//, '')}`;
  try {
    const url = new URL(withScheme);
    const host = url.hostname.toLowerCase();
    return { text: candidate, host, ip: host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host) };
  } catch {
    // not parseable as a URL: a link the parser refuses is still a link a person may type
    return { text: candidate, host: '', ip: false };
  }
}

/** Every link candidate of `text`, parsed. */
export function findLinks(text: string): Link[] {
  const out: Link[] = [];
  // brackets split tokens, so IPv6 literals are found before the split
  for (const m of text.matchAll(new RegExp(`(?:${SCHEME_AT.source})?${IPV6.source}\\S*`, 'gi'))) out.push(hostOf(m[0].replace(TRAILING, ''))!);
  const rest = text.replace(new RegExp(`(?:${SCHEME_AT.source})?${IPV6.source}\\S*`, 'gi'), ' ');
  for (const raw of rest.split(SEPARATORS)) {
    const token = raw.replace(TRAILING, '');
    if (token === '') continue;
    const scheme = SCHEME_AT.exec(token);
    if (scheme) {
      const link = hostOf(token.slice(scheme.index));
      if (link) out.push(link);
    } else if (IPV4.test(token) || BARE_HOST.test(token)) {
      const link = hostOf(token);
      if (link) out.push(link);
    }
  }
  return out;
}

/** True when `host` is one of `allowed` or a subdomain of one; an IP or an empty host never is. */
export function hostAllowed(link: Link, allowed: readonly string[]): boolean {
  if (link.ip || link.host === '') return false;
  const h = link.host.replace(/\.$/, '');
  return allowed.map((d) => domainToASCII(d) || d).some((d) => h === d || h.endsWith(`.${d}`));
}
