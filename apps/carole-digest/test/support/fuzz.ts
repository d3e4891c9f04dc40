/**
 * Test support: malformed and mutated messages from a seeded PRNG (mulberry32), for the
 * digest-level fuzz tests. Each case starts from a plausible business message (its own
 * Message-ID, some replying to earlier cases) and takes one or two blows: truncation, missing or
 * wrong boundaries, nested message/rfc822 parts with bad boundaries, broken transfer and word
 * encodings and charsets, huge or numerous headers, NULs and byte noise, mixed line endings,
 * spliced halves, no header at all. The same seed always gives the same bytes.
 */
import { DAMAGE, fuzzMultipart, int, pick } from '@jobs/testkit/mime-fuzz';
import { prng } from '@jobs/testkit/prng';

export { prng } from '@jobs/testkit/prng';

/** A PRNG returning floats in [0, 1). */
export type Rand = () => number;

const SENDERS = ['Dana Customer <dana@example.com>', '=?utf-8?b?SsO8cmdlbiBNw7xsbGVy?= <jm@example.de>', '"Supplier, Inc." <billing@supplier.example>', 'lead@forms.example'];
const SUBJECTS = ['Quote for the patio?', '=?iso-8859-1?q?Gr=FC=DFe_aus_M=FCnchen?=', 'Invoice 4471', 'Re: planting plan', '=?utf-8?b?Q2Fmw6kgdGVycmFjZQ==?='];

function head(r: Rand, i: number, refs: readonly number[]): string {
  const reply = refs.length > 0 && r() < 0.3 ? pick(r, refs) : null;
  return [
    `From: ${pick(r, SENDERS)}`,
    'To: carole@carolesgardens.example',
    `Subject: ${pick(r, SUBJECTS)} #${i}`,
    `Date: Mon, 23 Nov 2026 ${String(8 + int(r, 10)).padStart(2, '0')}:${String(int(r, 60)).padStart(2, '0')}:00 -0500`,
    `Message-ID: <fuzz-${i}@example.com>`,
    ...(reply === null ? [] : [`In-Reply-To: <fuzz-${reply}@example.com>`, `References: <fuzz-${reply}@example.com>`]),
    'MIME-Version: 1.0',
  ].join('\r\n');
}

const BODY = { text: 'Hello, can you quote the patio? caf=C3=A9 =ZZ broken=', nestedHead: 'Subject: inner\r\n' };
const multipart = (r: Rand, depth: number): string => fuzzMultipart(r, depth, BODY);
const { truncate, dropBoundaries, byteNoise, lineEndings, splice, noHeaders } = DAMAGE;

type Mutation = (r: Rand, base: string, top: string) => string;

const MUTATIONS: Record<string, Mutation> = {
  truncate,
  dropBoundaries,
  badBoundaryParam: (r, base) => base.replace(/boundary="[^"]*"/, pick(r, ['boundary=', 'boundary="', 'boundary="\u0000"', `boundary="${'x'.repeat(2000)}"`])),
  nestedRfc822: (r, _base, top) => `${top}\r\n${multipart(r, 3 + int(r, 20))}`,
  brokenEncodings: (r, base) =>
    base
      .replace(/base64/g, pick(r, ['base65', 'BASE64 ', 'x-uuencode', '8bit']))
      .replace(/quoted-printable/g, pick(r, ['quoted-printable', 'qp', 'binary']))
      .replace(/=\?utf-8\?b\?/gi, pick(r, ['=?bogus?b?', '=?utf-8?x?', '=?utf-8?b?!!']))
      .replace(/charset=utf-8/g, pick(r, ['charset=utf-16', 'charset="', 'charset=\u00ff'])),
  // Half of them past the parser's 1 MiB header cap: quarantined (EPARSE), the rest parse.
  hugeHeader: (r, base) => `${pick(r, ['X-Huge', 'Subject', 'Received', 'Comments'])}: ${'a'.repeat(r() < 0.5 ? 100_000 + int(r, 200_000) : 1_050_000 + int(r, 100_000))}\r\n${base}`,
  manyHeaders: (r, base) => `${'X-Many: y\r\n'.repeat(r() < 0.7 ? 2000 + int(r, 8000) : 100_000)}${base}`,
  longReferences: (r, base) => `References: ${Array.from({ length: 500 + int(r, 3000) }, (_, i) => `<r${i}@x>`).join('\r\n ')}\r\n${base}`,
  byteNoise,
  lineEndings,
  splice,
  noHeaders,
};

/** The mutation names, for reports. */
export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One generated case. */
export interface FuzzCase {
  readonly index: number;
  readonly kind: string;
  readonly raw: Buffer;
}

/** `count` cases from `seed` (see the module comment). */
export function fuzzMessages(seed: number, count: number): FuzzCase[] {
  const r = prng(seed);
  const out: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pick(r, MUTATION_NAMES);
    const top = head(r, i, out.slice(-20).map((c) => c.index));
    let raw = MUTATIONS[kind]!(r, `${top}\r\n${multipart(r, int(r, 3))}`, top);
    if (r() < 0.25) raw = MUTATIONS.truncate!(r, raw, top); // a second blow on top
    out.push({ index: i, kind, raw: Buffer.from(raw, 'latin1') });
  }
  return out;
}
