// Covers parseMessage against 1,200 malformed or mutated messages generated from a seeded PRNG
// (truncations, missing boundaries, nested message/rfc822 with bad boundaries, broken encodings,
// huge headers, deep HTML, byte noise): no throw, no hang, each one parsed or quarantined.
// A failure names the seed and the case; rerun one with MAIL_FUZZ_SEED=<seed>.
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/message.ts';
import { parseMessage } from '../src/parse.ts';
import { prng } from '@jobs/testkit/prng';

const SEED = Number(process.env.MAIL_FUZZ_SEED ?? 20241007) >>> 0;
const CASES = 1200;


type Rand = ReturnType<typeof prng>;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const HEAD = 'From: =?utf-8?b?RGFuYQ==?= <dana@example.com>\r\nTo: c@example.com\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?=\r\nMessage-ID: <f@x>\r\nDate: Mon, 7 Oct 2024 09:00:00 +0000\r\n';

function multipart(r: Rand, depth: number): string {
  const b = `b${depth}_${int(r, 1e6)}`;
  const parts = [
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello =C3=A9 caf=E9 =ZZ broken=\r\n',
    `Content-Type: text/html; charset=${pick(r, ['utf-8', 'x-unknown', 'utf-7', 'iso-2022-jp', 'shift_jis'])}\r\n\r\n<p>Hi <b>there</p><script>x</script>\r\n`,
    `Content-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pick(r, ['JVBERi0xLjQK', '!!!not base64@@@', 'QUJD\r\nRE=F\r\n===='])}\r\n`,
  ];
  if (depth > 0) parts.push(`Content-Type: message/rfc822\r\n\r\n${HEAD}Content-Type: multipart/mixed; boundary="${pick(r, [b, `${b}x`, ''])}"\r\n\r\n${multipart(r, depth - 1)}`);
  const body = parts.map((p) => `--${b}\r\n${p}`).join('');
  return `Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n${body}--${b}--\r\n`;
}

const mutations: Record<string, (r: Rand, base: string) => string> = {
  truncate: (r, base) => base.slice(0, int(r, base.length)),
  dropBoundaries: (r, base) => base.replace(/^--b[^\r\n]*\r\n/gm, () => (r() < 0.6 ? '' : '--wrong\r\n')),
  badBoundaryParam: (r, base) => base.replace(/boundary="[^"]*"/, pick(r, ['boundary=', 'boundary="', 'boundary="\u0000"', `boundary="${'x'.repeat(5000)}"`])),
  nestedRfc822: (r) => `${HEAD}${multipart(r, 3 + int(r, 30))}`,
  brokenEncodings: (r, base) =>
    base
      .replace(/base64/g, pick(r, ['base64', 'base65', 'BASE64 ', 'x-uuencode']))
      .replace(/=\?utf-8\?b\?/gi, pick(r, ['=?utf-8?b?', '=?bogus?b?', '=?utf-8?x?', '=?utf-8?b?!!']))
      .replace(/charset=utf-8/g, pick(r, ['charset=utf-16', 'charset="', 'charset=\u00ff'])),
  hugeHeader: (r, base) => `X-Huge: ${'a'.repeat(200_000 + int(r, 1_000_000))}\r\n${base}`,
  manyHeaders: (r, base) => `${'X-Many: y\r\n'.repeat(5000 + int(r, 30000))}${base}`,
  longFoldedReferences: (r, base) => `References: ${Array.from({ length: 2000 + int(r, 5000) }, (_, i) => `<r${i}@x>`).join('\r\n ')}\r\n${base}`,
  deepHtml: (r) => `${HEAD}Content-Type: text/html\r\n\r\n${'<div>'.repeat(1000 + int(r, 20000))}deep${'<b>'.repeat(int(r, 5000))}`,
  manyParts: (r) => {
    const n = 500 + int(r, 3000);
    return `${HEAD}Content-Type: multipart/mixed; boundary="m"\r\n\r\n${'--m\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(n)}--m--\r\n`;
  },
  byteNoise: (r, base) => {
    const chars = [...base];
    for (let i = 0; i < 1 + int(r, 50); i++) chars[int(r, chars.length)] = String.fromCharCode(int(r, 256));
    return chars.join('');
  },
  lineEndings: (r, base) => base.replace(/\r\n/g, () => pick(r, ['\n', '\r', '\r\n', '\n\r', ''])),
  splice: (r, base) => {
    const a = int(r, base.length);
    const b = int(r, base.length);
    return base.slice(0, Math.min(a, b)) + base.slice(Math.max(a, b)) + base.slice(Math.min(a, b), Math.max(a, b));
  },
  noHeaders: (r) => pick(r, ['', '\r\n', '\r\n\r\n', 'garbage without colon', ':', '--\r\n', '\u0000'.repeat(100)]),
};

function generate(r: Rand): { kind: string; raw: Buffer } {
  const kind = pick(r, Object.keys(mutations));
  let raw = mutations[kind]!(r, `${HEAD}${multipart(r, int(r, 3))}`);
  if (r() < 0.3) raw = mutations.truncate!(r, raw); // a second blow on top
  return { kind, raw: Buffer.from(raw, 'latin1') };
}

describe(`fuzzed MIME (seed ${SEED})`, () => {
  it(`parses or quarantines ${CASES} malformed messages without throwing or hanging`, async () => {
    const r = prng(SEED);
    const codes = new Map<string, number>();
    const start = performance.now();
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const { kind, raw } = generate(r);
      const where = `seed ${SEED}, case ${i} (${kind}, ${raw.length} bytes)`;
      const t0 = performance.now();
      let result: ParseResult;
      try {
        result = await parseMessage(raw, { timeoutMs: 5000, maxBytes: 8 * 1024 * 1024 });
      } catch (err) {
        throw new Error(`parseMessage threw at ${where}: ${String(err)}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      const label = result.ok ? 'parsed' : result.code;
      codes.set(label, (codes.get(label) ?? 0) + 1);
      if (!result.ok) {
        expect(['ETOOBIG', 'ETIMEOUT', 'EPARSE', 'ESTREAM'], where).toContain(result.code);
        expect(result.reason, where).not.toBe('');
      } else {
        expect(typeof result.message.text, where).toBe('string');
      }
    }
    const total = [...codes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(CASES);
    console.info(
      JSON.stringify({ fuzzSeed: SEED, cases: CASES, outcomes: Object.fromEntries(codes), ms: Math.round(performance.now() - start), slowestMs: Math.round(slowest) }),
    );
  }, 300_000);
});
