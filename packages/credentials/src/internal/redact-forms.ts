/**
 * The regular-expression sources that find one secret in the shapes it takes in logs, errors
 * and request dumps. Split in two sets because case matters for one and not the other:
 *
 * - textual forms, matched case-insensitively (a header dumper or an error helper may
 *   upper-case a value): the secret with any character percent-encoded (reserved or not,
 *   lower or upper hex, `+` for a space), JSON-escaped (once, twice, `\uXXXX`, and `\/` as
 *   PHP and some Java encoders write `/`), and hex of its UTF-8 bytes;
 * - binary forms, matched as written: base64 and base64url at each of the three alignments a
 *   secret can have inside a longer encoded blob (the characters that hold only its bits), and
 *   its UTF-8 bytes as a decimal list (`115,107,45`: a Buffer serialised by JSON.stringify).
 */

/** Escapes `s` for use inside a RegExp source (no `u` flag). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A character of a JSON-escaped form: a `/` may be written `\/` (and `\\\/` once more escaped). */
function jsonChar(ch: string): string {
  return ch === '/' ? '(?:\\\\{0,3}/)' : escapeRegExp(ch);
}

/** `s` with every character either as is or percent-encoded; `/` also as `\/`. */
function percentPattern(s: string): string {
  let out = '';
  for (const ch of s) {
    const encoded = [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const alts = [jsonChar(ch), encoded];
    if (ch === ' ') alts.push('\\+');
    out += `(?:${alts.join('|')})`;
  }
  return out;
}

/** Textual patterns for `s` (use with the `i` flag). */
export function textualForms(s: string, minLength: number): string[] {
  const json = JSON.stringify(s).slice(1, -1);
  const jsonAscii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const json2 = JSON.stringify(json).slice(1, -1);
  const hex = Buffer.from(s, 'utf8').toString('hex');
  const out = [percentPattern(s)];
  for (const form of [json, jsonAscii, json2]) if (form.length >= minLength) out.push([...form].map(jsonChar).join(''));
  out.push(escapeRegExp(hex));
  return out;
}

/**
 * The part of the base64 of `bytes` that depends on `bytes` alone when they start `offset`
 * bytes (0, 1 or 2) into a longer encoded value: the first and last characters, shared with
 * the neighbouring bytes, are left out.
 */
function base64Core(bytes: Buffer, offset: number, encoding: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(encoding).replace(/=+$/, '');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

/** Case-sensitive patterns for `s`. */
export function binaryForms(s: string, minLength: number): string[] {
  const bytes = Buffer.from(s, 'utf8');
  const out: string[] = [];
  for (const encoding of ['base64', 'base64url'] as const) {
    for (const offset of [0, 1, 2]) {
      const core = base64Core(bytes, offset, encoding);
      if (core.length >= minLength) out.push(escapeRegExp(core));
    }
  }
  out.push(`(?<![0-9])${[...bytes].join('\\s*,\\s*')}(?![0-9])`);
  return out;
}
