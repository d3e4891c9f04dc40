/**
 * Redaction by value: every secret is replaced wherever it appears in a string, not only
 * under known keys (pino's `redact` covers listed paths only, and a key leaks through an
 * error message or a URL just as well).
 *
 * Forms caught, for each secret (internal/redact-forms.ts lists them): as is or in any
 * letter case; JSON-escaped (once and twice, non-ASCII as \uXXXX, `/` as `\/`);
 * percent-encoded in any mix, every character included (`p%40ss`, `%70%40%73%73`, lower or
 * upper hex, `+` for a space), which covers URLs, query strings and form bodies; hex of its
 * bytes; base64 and base64url at any alignment inside a longer blob; its bytes as a decimal
 * list (a Buffer through JSON.stringify); and `Basic <base64>` credentials whose decoded
 * `user:pass` contains it. redactDeep also redacts Buffers and typed arrays that hold one.
 *
 * Secrets shorter than `minLength` (default 4) are ignored: replacing every `abc` or `1`
 * in a log would shred it and, by showing where the short value appears, would reveal it
 * anyway. Keep real secrets long.
 */

import { binaryForms, textualForms } from './internal/redact-forms.ts';

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

const BASIC_RE = /\b(Basic\s+)([A-Za-z0-9+/]{4,}={0,2})/gi;

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

  const textual = new Set<string>();
  const binary = new Set<string>();
  for (const s of kept) {
    for (const p of textualForms(s, minLength)) textual.add(p);
    for (const p of binaryForms(s, minLength)) binary.add(p);
  }
  // Longest first, so a secret that contains another is replaced whole.
  const join = (set: Set<string>) => [...set].sort((a, b) => b.length - a.length).join('|');
  const textRe = new RegExp(join(textual), 'gi');
  const binaryRe = new RegExp(join(binary), 'g');

  const redactBasic = (s: string): string =>
    s.replace(BASIC_RE, (whole, prefix: string, b64: string) => {
      const decoded = Buffer.from(b64, 'base64').toString('utf8');
      return kept.some((k) => decoded.includes(k)) ? `${prefix}${replacement}` : whole;
    });

  return (s: string): string => {
    if (typeof s !== 'string' || s === '') return s;
    return redactBasic(s).replace(textRe, replacement).replace(binaryRe, replacement);
  };
}

/**
 * Returns a copy of `value` with every string redacted: object keys and values, array
 * items, Map and Set entries, and an Error's message, stack, cause, `errors` (of an
 * AggregateError) and own fields. Errors keep their prototype, so `instanceof` and
 * `code` still work. A URL becomes its redacted `href` string (its password is in it).
 * A Buffer or typed array whose bytes, read as UTF-8, hold a secret becomes a Buffer of the
 * redacted text; other binary values, dates and regexps are returned as they are. Cycles are
 * kept.
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
  if (ArrayBuffer.isView(value)) return redactBytes(value, redact);
  if (value instanceof Date || value instanceof RegExp) return value;
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

/** The same view when its bytes hold no secret; else a Buffer of the redacted UTF-8 text. */
function redactBytes(view: ArrayBufferView, redact: Redactor): unknown {
  const text = Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8');
  const out = redact(text);
  return out === text ? view : Buffer.from(out, 'utf8');
}
