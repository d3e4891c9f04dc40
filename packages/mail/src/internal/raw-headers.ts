/**
 * Helpers over raw header lines (mailparser's `headerLines`): the parser's decoded view loses what
 * the loop guards and the spoof check need (the `<>` null sender, an unparseable Date that it
 * silently replaces with "now", ids written without whitespace between them).
 */

/** One raw header line as mailparser emits it: lower-case key, the whole folded line. */
export interface RawHeaderLine {
  readonly key: string;
  readonly line: string;
}

/** Raw header values by lower-case name, in order, unfolded, decoded from bytes as UTF-8. */
export type RawHeaders = ReadonlyMap<string, readonly string[]>;

/** Builds the lookup table; mailparser's lines are latin1 "binary" strings of the raw bytes. */
export function indexHeaderLines(lines: readonly RawHeaderLine[]): RawHeaders {
  const map = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const value = Buffer.from(line.slice(colon + 1), 'latin1')
      .toString('utf8')
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}

/** First value of a header, or null. */
export function first(headers: RawHeaders, key: string): string | null {
  return headers.get(key)?.[0] ?? null;
}

/**
 * Of every value of every header in `keys` (a header may appear several times: a relay adds
 * one, a forger puts a harmless one first), the first that `marks` accepts, else the first
 * value at all, else null. The loop guards read what counts, not what came first.
 */
export function pick(headers: RawHeaders, keys: readonly string[], marks: (value: string) => boolean = () => true): string | null {
  const all = keys.flatMap((key) => headers.get(key) ?? []);
  return all.find(marks) ?? all[0] ?? null;
}

const MAX_IDS = 500;

/**
 * Message ids from a References / In-Reply-To / Message-ID value, in angle brackets, in order,
 * deduplicated. Prefers bracketed `<local@domain>` tokens (RFC 5322 msg-id), which also splits
 * `<a@x><b@y>` written without whitespace; falls back to bare `local@domain` tokens, which some
 * old mailers wrote. Comments and phrases ("message of Tue, ...") are ignored. Capped so a
 * hostile header cannot make the threader quadratic.
 */
export function extractIds(value: string | null): string[] {
  if (!value) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (id: string): void => {
    if (id.length > 2 && id.length < 1000 && !seen.has(id) && out.length < MAX_IDS) {
      seen.add(id);
      out.push(id);
    }
  };
  for (const m of value.matchAll(/<([^<>\s]+)>/g)) push(`<${m[1]}>`);
  if (out.length === 0) {
    for (const token of value.split(/[\s,]+/)) {
      if (/^[^\s<>()@]+@[^\s<>()@]+$/.test(token)) push(`<${token}>`);
    }
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const LENIENT = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\s+\+?(-?)([+-]?)(\d{2})(\d{2}))?/;

/** Reads "30 Aug 02 21:48:08 Eastern Daylight Time" and "+-0500" zones that V8 refuses. */
function lenientDate(value: string): Date | null {
  const m = LENIENT.exec(value);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month < 0) return null;
  let year = Number(m[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  const sign = m[7] === '-' || m[8] === '-' ? -1 : 1;
  const offsetMin = m[9] ? sign * (Number(m[9]) * 60 + Number(m[10])) : 0;
  const utc = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMin * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc);
}

/**
 * Parses a Date header. Returns null for a missing or unparseable date (mailparser returns the
 * current time there, which would put an undated message at the top of every digest).
 */
export function parseDate(value: string | null): Date | null {
  if (!value) return null;
  // Strip comments ("(PDT)", "(added by postmaster@...)") that can make V8 refuse a date.
  const cleaned = value.replace(/\([^()]*\)/g, ' ').trim();
  let date: Date | null = new Date(cleaned);
  if (Number.isNaN(date.getTime())) date = lenientDate(cleaned);
  if (!date) return null;
  const year = date.getUTCFullYear();
  return year < 1970 || year > 9999 ? null : date;
}

/** The date a Received header was stamped with (after its last ";"), for undated mail. */
export function receivedDate(value: string | null): Date | null {
  if (!value) return null;
  const semi = value.lastIndexOf(';');
  return semi < 0 ? null : parseDate(value.slice(semi + 1));
}

/**
 * The Return-Path address: '' for the null sender `<>` (bounces, auto-replies per RFC 3834),
 * null when absent. A message can carry several (one per hop); the topmost is the final one.
 */
export function parseReturnPath(value: string | null): string | null {
  if (value === null) return null;
  const bracketed = /<([^<>]*)>/.exec(value);
  const inner = (bracketed ? bracketed[1]! : value).trim();
  return inner.toLowerCase();
}
