/**
 * Whether a form notification really came from its sending domain, as the receiving server
 * saw it (RFC 8601 Authentication-Results). From can be forged by anyone; an
 * Authentication-Results header can too, except the one the owner's own receiving server
 * adds: servers remove or rename copies that carry their authserv-id. So only a header with
 * the configured authserv-id counts (Microsoft 365 writes none: there, only the topmost
 * header, which its servers add last), and it counts when it shows DKIM pass for a domain
 * aligned with From, SPF pass for an aligned envelope sender, or DMARC pass for From.
 */

/** Which headers to trust. */
export interface AuthTrust {
  /** The authserv-id of the receiving server, compared case-insensitively; null: the topmost header, which has none. */
  readonly authservId: string | null;
}

/** Provider presets: the receiving server's authserv-id. */
export const AUTHSERV_PRESETS: Readonly<Record<string, AuthTrust>> = {
  gmail: { authservId: 'mx.google.com' },
  microsoft365: { authservId: null },
};

function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** Method results of one header whose authserv-id is `id` (null: one without any), or null. */
function resultsOf(header: string, trust: AuthTrust): string[] | null {
  const parts = stripComments(header).split(';').map((p) => p.trim());
  const first = parts[0] ?? '';
  const hasId = !/^[a-z0-9-]+\s*=/i.test(first);
  if (trust.authservId === null) return hasId ? parts.slice(1) : parts;
  if (!hasId) return null;
  const id = first.split(/\s+/)[0]!.toLowerCase();
  return id === trust.authservId.toLowerCase() ? parts.slice(1) : null;
}

/** Relaxed alignment without a public-suffix list: equal, or one a subdomain of the other. */
function aligned(domain: string, fromDomain: string): boolean {
  const d = domain.toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return d === fromDomain || fromDomain.endsWith(`.${d}`) || d.endsWith(`.${fromDomain}`);
}

function property(result: string, name: string): string | null {
  const m = new RegExp(`(?:^|\\s)${name.replace('.', '\\.')}\\s*=\\s*"?([^\\s";]+)`, 'i').exec(result);
  if (!m) return null;
  const v = m[1]!;
  return v.includes('@') ? v.slice(v.lastIndexOf('@') + 1) : v;
}

/**
 * True when the trusted receiving server authenticated `fromDomain` for this message. Only
 * the first trusted header is read (a relay further down the chain may add more).
 */
export function authenticated(authenticationResults: readonly string[], fromDomain: string, trust: AuthTrust): boolean {
  const from = fromDomain.toLowerCase();
  const headers = trust.authservId === null ? authenticationResults.slice(0, 1) : authenticationResults;
  for (const header of headers) {
    const results = resultsOf(header, trust);
    if (!results) continue;
    return results.some((r) => {
      const method = /^([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(r);
      if (!method || method[2]!.toLowerCase() !== 'pass') return false;
      const name = method[1]!.toLowerCase();
      if (name === 'dkim') {
        const d = property(r, 'header.d') ?? property(r, 'header.i');
        return d !== null && aligned(d, from);
      }
      if (name === 'spf') {
        const d = property(r, 'smtp.mailfrom');
        return d !== null && aligned(d, from);
      }
      if (name === 'dmarc') {
        const d = property(r, 'header.from');
        return d !== null && d.toLowerCase() === from;
      }
      return false;
    });
  }
  return false;
}
