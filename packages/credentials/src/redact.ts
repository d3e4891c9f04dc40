/**
 * Redaction by value: every secret is replaced wherever it appears in a string, not only
 * under known keys (pino's `redact` covers listed paths only, and a key leaks through an
 * error message or a URL just as well).
 *
 * Forms caught, for each secret: as is; JSON-escaped (once and twice, and with non-ASCII
 * as \uXXXX); percent-encoded in any mix (`p%40ss`, `p%40%24s`, lower or upper hex, `+`
 * for a space), which covers URLs, query strings and form bodies; base64 and base64url
 * of the secret; and `Basic <base64>` credentials whose decoded `user:pass` contains it.
 *
 * Secrets shorter than `minLength` (default 4) are ignored: replacing every `abc` or `1`
 * in a log would shred it and, by showing where the short value appears, would reveal it
 * anyway. Keep real secrets long.
 */

/** A function that returns its input with every known secret replaced. */
export type Redactor = (s: string) => string;

/** Options of createRedactor. */
export interface RedactorOptions {
  /** Secrets shorter than this are ignored. Default 4. */
  minLength?: number;
  /** What a secret is replaced with. Default `[REDACTED]`. */
  replacement?: string;
}

/** The default replacement text. */
export const REDACTED = '[REDACTED]';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const BASIC_RE = /\b(Basic\s+)([A-Za-z0-9+/]{4,}={0,2})/gi;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `%4a` matched as `%4[aA]`: percent-encoding hex is case-insensitive. */
function hexPattern(byte: number): string {
  return `%${[...byte.toString(16).padStart(2, '0')]
    .map((h) => (/[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h))
    .join('')}`;
}

/** A pattern matching `s` with any of its reserved characters percent-encoded or not. */
function percentPattern(s: string): string {
  let out = '';
  for (const ch of s) {
    if (UNRESERVED.test(ch)) {
      out += escapeRegExp(ch);
      continue;
    }
    const alts = [escapeRegExp(ch), [...Buffer.from(ch, 'utf8')].map(hexPattern).join('')];
    if (ch === ' ') alts.push('\\+');
    out += `(?:${alts.join('|')})`;
  }
  return out;
}

/** Every literal (non-percent) form of `s` worth looking for. */
function literalForms(s: string): string[] {
  const json = JSON.stringify(s).slice(1, -1);
  const jsonAscii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const json2 = JSON.stringify(json).slice(1, -1);
  const b64 = Buffer.from(s, 'utf8').toString('base64');
  const b64url = Buffer.from(s, 'utf8').toString('base64url');
  return [json, jsonAscii, json2, b64.replace(/=+$/, ''), b64url];
}

/**
 * Builds a redactor for `secrets`. Empty and too-short secrets are ignored; with none
 * left the redactor returns its input unchanged.
 */
export function createRedactor(secrets: readonly string[], options: RedactorOptions = {}): Redactor {
  const minLength = options.minLength ?? 4;
  const replacement = options.replacement ?? REDACTED;
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new TypeError(`createRedactor: option minLength must be a positive integer, got ${String(minLength)}`);
  }
  const kept = [...new Set(secrets)].filter((s) => typeof s === 'string' && s.length >= minLength);
  if (kept.length === 0) return (s) => s;

  const patterns = new Set<string>();
  for (const s of kept) {
    patterns.add(percentPattern(s));
    for (const form of literalForms(s)) if (form.length >= minLength) patterns.add(escapeRegExp(form));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const re = new RegExp([...patterns].sort((a, b) => b.length - a.length).join('|'), 'g');

  const redactBasic = (s: string): string =>
    s.replace(BASIC_RE, (whole, prefix: string, b64: string) => {
      const decoded = Buffer.from(b64, 'base64').toString('utf8');
      return kept.some((k) => decoded.includes(k)) ? `${prefix}${replacement}` : whole;
    });

  return (s: string): string => {
    if (typeof s !== 'string' || s === '') return s;
    return redactBasic(s).replace(re, replacement);
  };
}

/**
 * Returns a copy of `value` with every string redacted: object keys and values, array
 * items, Map and Set entries, and an Error's message, stack, cause, `errors` (of an
 * AggregateError) and own fields. Errors keep their prototype, so `instanceof` and
 * `code` still work. A URL becomes its redacted `href` string (its password is in it).
 * Buffers, dates and other binary values are returned as they are. Cycles are kept.
 */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  return walk(value, redactor, new WeakMap()) as T;
}

function walk(value: unknown, redact: Redactor, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  const memo = seen.get(value);
  if (memo !== undefined) return memo;
  if (value instanceof URL) return redact(value.href);
  if (ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(walk(item, redact, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(walk(k, redact, seen), walk(v, redact, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(walk(v, redact, seen));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  seen.set(value, out);
  if (value instanceof Error) {
    // message, stack, cause and errors are own but not enumerable: copy them by name.
    for (const key of ['message', 'stack', 'cause', 'errors'] as const) {
      if (Object.hasOwn(value, key)) {
        Object.defineProperty(out, key, {
          value: walk((value as unknown as Record<string, unknown>)[key], redact, seen),
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
    }
  }
  for (const [k, v] of Object.entries(value)) out[redact(k)] = walk(v, redact, seen);
  return out;
}
