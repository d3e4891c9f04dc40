/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) read into the set
 * of values each field allows, with node-cron's meaning, so `farm status` can compute a next
 * run without loading node-cron: `*`, `?` (a whole day field), numbers, lists, ranges (a range
 * whose start is past its end wraps, as 22-2), steps on ranges and on `*`, month and weekday
 * names (jan, january, mon, monday; any case), 7 for Sunday, and the nicknames (@daily, ...).
 * Anything else (a seconds field, L, W, #) is left to node-cron: parseCron returns undefined.
 */

/** The values each field allows; days of week 0-6 (Sunday 0). */
export interface CronFields {
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
}

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAYS_LONG = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Bounds {
  min: number;
  max: number;
  names?: readonly (readonly string[])[];
  /** The first name's value (1 for months, 0 for days). */
  base?: number;
}
const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: [MONTHS_LONG, MONTHS], base: 1 };
const DOW: Bounds = { min: 0, max: 7, names: [DAYS_LONG, DAYS], base: 0 };
/** The longest each month can be (node-cron refuses a day no listed month has, as 30 2). */
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function value(text: string, b: Bounds): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const lower = text.toLowerCase();
  for (const list of b.names ?? []) {
    const i = list.indexOf(lower);
    if (i >= 0) return i + (b.base ?? 0);
  }
  return undefined;
}

/** One comma-separated item: `*`, `*\/s`, `n`, `a-b`, `a-b/s`; undefined when not one of them. */
function item(token: string, b: Bounds, out: Set<number>): boolean {
  const m = /^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\d+))?$/i.exec(token);
  if (m === null) return false;
  const [, star, from, to, stepText] = m;
  // node-cron reads a step only after a range or `*` ("5/10" is not valid there).
  if (stepText !== undefined && star === undefined && to === undefined) return false;
  const step = stepText === undefined ? 1 : Number(stepText);
  const first = star !== undefined ? b.min : value(from ?? '', b);
  // node-cron expands ranges of days of week within 0-6 (7, Sunday, is accepted as a value).
  const top = b === DOW ? 6 : b.max;
  const last = star !== undefined ? top : to === undefined ? first : value(to, b);
  if (first === undefined || last === undefined || step < 1) return false;
  if (first < b.min || first > b.max || last < b.min || last > b.max) return false;
  // A range whose start is past its end wraps around the field (22-2: 22, 23, 0, 1, 2).
  const size = top - b.min + 1;
  const span = first <= last ? last - first : (((last - first) % size) + size) % size;
  for (let o = 0; o <= span; o += step) {
    let v = first + o;
    if (first > last && v > top) v -= size;
    out.add(b === DOW && v === 7 ? 0 : v);
  }
  return true;
}

function field(text: string, b: Bounds, day: boolean): Set<number> | undefined {
  const out = new Set<number>();
  if (day && text === '?') text = '*';
  for (const token of text.split(',')) if (!item(token, b, out)) return undefined;
  return out;
}

/** The fields of a five-field expression (or a nickname); undefined when node-cron must read it. */
export function parseCron(expression: string): CronFields | undefined {
  const text = expression.trim();
  // node-cron splits on spaces only: a tab or a newline makes the expression invalid there.
  if (/[^\S ]/.test(expression)) return undefined;
  const parts = (NICKNAMES[text.toLowerCase()] ?? text).split(/\s+/);
  if (parts.length !== 5) return undefined;
  const [mi, h, dom, mo, dow] = parts as [string, string, string, string, string];
  const minute = field(mi, MINUTE, false);
  const hour = field(h, HOUR, false);
  const dayOfMonth = field(dom, DOM, true);
  const month = field(mo, MONTH, false);
  const dayOfWeek = field(dow, DOW, true);
  if (!minute || !hour || !dayOfMonth || !month || !dayOfWeek) return undefined;
  if (![...month].some((m) => [...dayOfMonth].some((d) => d <= (MONTH_DAYS[m] ?? 0)))) return undefined;
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}
