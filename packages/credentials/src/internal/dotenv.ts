/**
 * A small dotenv parser. Written here rather than taken from `dotenv` because the
 * package must never touch `process.env` and must report every bad line at once,
 * with its line number and never its value.
 *
 * Accepted syntax:
 * - `KEY=value`, `KEY = value`, `export KEY=value` (the prefix is tolerated so a file
 *   can also be `source`d by a shell);
 * - blank lines and lines whose first non-blank character is `#`;
 * - unquoted values are trimmed; `#` starts a comment only at the start of the value or
 *   after whitespace, so `PASS=a#b` keeps `a#b` (shells agree; the dotenv package does not);
 * - `'single'` quotes: literal, may span lines;
 * - `"double"` quotes: `\n \r \t \" \\` escapes, may span lines;
 * - no interpolation: `$OTHER` stays `$OTHER`.
 * A key given twice keeps its last value (what a shell would do when sourcing).
 */

/** One line that could not be parsed; never holds the value. */
export interface DotenvSyntaxError {
  line: number;
  problem: string;
}

/** What `parseDotenv` returns: the values and every syntax error found. */
export interface DotenvParseResult {
  values: Record<string, string>;
  errors: DotenvSyntaxError[];
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Parses dotenv text into a null-prototype record; collects errors instead of throwing. */
export function parseDotenv(text: string): DotenvParseResult {
  const values: Record<string, string> = Object.create(null);
  const errors: DotenvSyntaxError[] = [];
  // A UTF-8 BOM would otherwise become part of the first key.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const raw = lines[i] ?? '';
    i += 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq < 0) {
      errors.push({ line: lineNo, problem: 'expected KEY=value' });
      continue;
    }
    const key = body.slice(0, eq).trim();
    if (!KEY_RE.test(key)) {
      errors.push({ line: lineNo, problem: 'invalid key name (letters, digits, _; not starting with a digit)' });
      continue;
    }
    const rest = body.slice(eq + 1).trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // Gather lines until the closing quote: quoted values may span lines.
      let buf = rest.slice(1);
      let close = findClose(buf, quote);
      while (close < 0 && i < lines.length) {
        buf += `\n${lines[i] ?? ''}`;
        i += 1;
        close = findClose(buf, quote);
      }
      if (close < 0) {
        errors.push({ line: lineNo, problem: `unterminated ${quote === '"' ? 'double' : 'single'} quote` });
        continue;
      }
      const after = buf.slice(close + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        errors.push({ line: lineNo, problem: 'unexpected text after the closing quote' });
        continue;
      }
      const inner = buf.slice(0, close);
      values[key] = quote === '"' ? inner.replace(/\\([nrt"\\])/g, (_m, c: string) => ESCAPES[c] ?? c) : inner;
      continue;
    }
    values[key] = stripComment(rest).trimEnd();
  }
  return { values, errors };
}

/** Index of the closing quote in `s`, skipping `\"` inside double quotes; -1 when absent. */
function findClose(s: string, quote: string): number {
  for (let j = 0; j < s.length; j += 1) {
    const c = s[j];
    if (quote === '"' && c === '\\') {
      j += 1;
      continue;
    }
    if (c === quote) return j;
  }
  return -1;
}

/** Removes a `#` comment that starts the value or follows whitespace. */
function stripComment(value: string): string {
  if (value.startsWith('#')) return '';
  const m = /\s#/.exec(value);
  return m ? value.slice(0, m.index) : value;
}
