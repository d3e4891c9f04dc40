// Covers parseMessage against 1,200 malformed or mutated messages generated from a seeded PRNG
// (truncations, missing boundaries, nested message/rfc822 with bad boundaries, broken encodings,
// huge headers, deep HTML, byte noise; the shared blows from @jobs/testkit/mime-fuzz): no throw,
// no hang, each one parsed or quarantined.
// A failure names the seed and the case; rerun one with MAIL_FUZZ_SEED=<seed>.
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/message.ts';
import { parseMessage } from '../src/parse.ts';
import { DAMAGE, fuzzMultipart, int, type Mutation, pick } from '@jobs/testkit/mime-fuzz';
import { prng } from '@jobs/testkit/prng';

const SEED = Number(process.env.MAIL_FUZZ_SEED ?? 20241007) >>> 0;
const CASES = 1200;

type Rand = ReturnType<typeof prng>;

const HEAD = 'From: =?utf-8?b?RGFuYQ==?= <dana@example.com>\r\nTo: c@example.com\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?=\r\nMessage-ID: <f@x>\r\nDate: Mon, 7 Oct 2024 09:00:00 +0000\r\n';

const multipart = (r: Rand, depth: number): string => fuzzMultipart(r, depth, { text: 'Hello =C3=A9 caf=E9 =ZZ broken=', nestedHead: HEAD });
const { truncate, dropBoundaries, byteNoise, lineEndings, splice, noHeaders } = DAMAGE;

const mutations: Record<string, Mutation> = {
  truncate,
  dropBoundaries,
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
  byteNoise,
  lineEndings,
  splice,
  noHeaders,
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
