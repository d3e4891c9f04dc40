// Covers redaction by value: plain, JSON-escaped, percent-encoded, base64 and Basic-auth forms, short secrets, and redactDeep on objects and errors.
import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from '../src/redact.ts';

const SECRET = 'p@ss/w"rd é+1';
const KEY = 'sk-ant-api03-abcdef';
const r = createRedactor([SECRET, KEY]);

/** A URL whose password the WHATWG URL setter encoded: `+` stays, `@ / " space é` are escaped. */
function userinfoUrl(password: string): string {
  const u = new URL('https://host.test/');
  u.username = 'dana';
  u.password = password;
  expect(u.href).toContain('+1@'); // a mix: not what encodeURIComponent gives
  return u.href;
}

describe('createRedactor', () => {
  it.each([
    ['plain', `key=${KEY} done`],
    ['JSON-escaped', JSON.stringify({ password: SECRET })],
    ['JSON-escaped twice', JSON.stringify({ body: JSON.stringify({ password: SECRET }) })],
    ['JSON with \\u escapes', `{"p":"p@ss/w\\"rd \\u00e9+1"}`],
    ['encodeURIComponent', `https://api.test/?key=${encodeURIComponent(SECRET)}`],
    ['lower-case hex', `x=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`],
    ['URL userinfo (WHATWG encodes only some characters)', userinfoUrl(SECRET)],
    ['form-encoded', `password=${new URLSearchParams({ a: SECRET }).toString().slice(2)}`],
    ['base64', `token=${Buffer.from(KEY).toString('base64')}`],
    ['Basic auth', `authorization: Basic ${Buffer.from(`dana:${SECRET}`).toString('base64')}`],
  ])('replaces the %s form', (_name, text) => {
    const out = r(text);
    expect(out).toContain('[REDACTED]');
    expect(out).not.toContain(KEY);
    expect(out).not.toContain('ss/w');
    expect(out).not.toContain(encodeURIComponent(SECRET));
    expect(out).not.toContain(Buffer.from(`dana:${SECRET}`).toString('base64'));
  });

  it('replaces every occurrence and leaves other text intact', () => {
    expect(r(`a ${KEY} b ${KEY} c`)).toBe('a [REDACTED] b [REDACTED] c');
    expect(r('nothing secret here')).toBe('nothing secret here');
    expect(r('authorization: Basic ZGFuYTpvdGhlcg==')).toBe('authorization: Basic ZGFuYTpvdGhlcg==');
  });

  it('replaces a secret that contains another one whole', () => {
    const nested = createRedactor(['abcd', 'xxabcdxx']);
    expect(nested('1 xxabcdxx 2 abcd')).toBe('1 [REDACTED] 2 [REDACTED]');
  });

  it('ignores secrets shorter than minLength, which would shred text', () => {
    const short = createRedactor(['a', 'ab1', '', 'long-enough']);
    expect(short('a cab1 long-enough')).toBe('a cab1 [REDACTED]');
    expect(createRedactor(['ab1'], { minLength: 3 })('cab1')).toBe('c[REDACTED]');
    expect(createRedactor([])('x')).toBe('x');
    expect(() => createRedactor([], { minLength: 0 })).toThrow(/option minLength/);
  });
});

describe('createRedactor: forms a first version let through', () => {
  const b64In = (prefix: string) => Buffer.from(`${prefix}${KEY}:rest`).toString('base64');
  it.each([
    ['base64 at offset 1 of a longer blob', `blob=${b64In('x')}`, (o: string) => expect(o).not.toContain(Buffer.from(KEY).toString('base64').slice(4, 20))],
    ['base64 at offset 2 of a longer blob', `blob=${b64In('xy')}`, (o: string) => expect(o).not.toMatch(/[A-Za-z0-9+/]{24,}/)],
    ['base64url at offset 1', `t=${Buffer.from(`x${SECRET}`).toString('base64url')}`, (o: string) => expect(o).not.toMatch(/[A-Za-z0-9_-]{16,}/)],
    ['fully percent-encoded', `k=${[...Buffer.from(KEY)].map((b) => `%${b.toString(16)}`).join('')}`, (o: string) => expect(o).not.toMatch(/%73%6b/i)],
    ['hex of its bytes', `dump ${Buffer.from(KEY).toString('hex')}`, (o: string) => expect(o).not.toContain('736b2d616e74')],
    ['upper-case hex', `dump ${Buffer.from(KEY).toString('hex').toUpperCase()}`, (o: string) => expect(o).not.toContain('736B2D616E74')],
    ['JSON with \\/', `{"p":"p@ss\\/w\\"rd \\u00e9+1"}`, (o: string) => expect(o).not.toContain('ss\\/w')],
    ['upper-cased', `KEY=${KEY.toUpperCase()}`, (o: string) => expect(o).not.toContain('ABCDEF')],
    ['a Buffer field serialised as bytes', JSON.stringify({ body: Buffer.from(`x ${KEY} y`) }), (o: string) => expect(o).not.toContain([...Buffer.from(KEY)].join(','))],
  ])('replaces %s', (_name, text, check) => {
    const out = r(text);
    expect(out).toContain('[REDACTED]');
    check(out);
  });

  it('redactDeep replaces a secret inside a Buffer or typed array, and leaves other bytes alone', () => {
    const out = redactDeep({ buf: Buffer.from(`a ${KEY} b`), arr: new Uint8Array(Buffer.from(KEY)), plain: Buffer.from('raw') }, r);
    expect(Buffer.from(out.buf).toString()).toBe('a [REDACTED] b');
    expect(Buffer.from(out.arr as Uint8Array).toString()).toBe('[REDACTED]');
    expect(Buffer.from(out.plain).toString()).toBe('raw');
  });
});

describe('redactDeep', () => {
  it('redacts keys, values, arrays, maps and URLs, keeping cycles', () => {
    const obj: Record<string, unknown> = {
      url: new URL(`https://u:${KEY}@h.test/`),
      list: [`x ${KEY}`, 3, null],
      map: new Map([[KEY, SECRET]]),
      [KEY]: true,
      buf: Buffer.from('raw'),
    };
    obj.self = obj;
    const out = redactDeep(obj, r);
    expect(Object.keys(out)).toContain('[REDACTED]');
    expect(Object.keys(out).join()).not.toContain(KEY);
    expect([...(out.map as Map<string, string>)]).toEqual([['[REDACTED]', '[REDACTED]']]);
    expect(out.url).toBe('https://u:[REDACTED]@h.test/');
    expect(out.list).toEqual(['x [REDACTED]', 3, null]);
    expect(out.self).toBe(out);
    expect(out.buf).toBe(obj.buf);
    expect(obj.list).toEqual([`x ${KEY}`, 3, null]); // the input is untouched
  });

  it('redacts an error message, stack, own fields and cause, keeping its class', () => {
    class HttpError extends Error {
      override name = 'HttpError';
      url = `https://api.test/?key=${KEY}`;
    }
    const err = new HttpError(`request with ${KEY} failed`, { cause: new Error(`inner ${SECRET}`) });
    const out = redactDeep(err, r);
    expect(out).toBeInstanceOf(HttpError);
    expect(out.message).toBe('request with [REDACTED] failed');
    expect(out.stack).toContain('request with [REDACTED] failed');
    expect(out.stack).not.toContain(KEY);
    expect(out.url).toBe('https://api.test/?key=[REDACTED]');
    expect((out.cause as Error).message).toBe('inner [REDACTED]');
    expect(err.message).toContain(KEY);
  });
});
