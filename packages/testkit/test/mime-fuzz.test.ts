// The MIME fuzz blocks: the same PRNG state gives the same bytes, a body nests as deep as asked
// with its boundaries closed, and each shared blow does what its name says.
import { describe, expect, it } from 'vitest';
import { DAMAGE, fuzzMultipart } from '../src/mime-fuzz.ts';
import { prng } from '../src/prng.ts';

const BODY = { text: 'Hello =ZZ', nestedHead: 'Subject: inner\r\n' };

describe('mime-fuzz', () => {
  it('replays a body from its seed, nested to the depth asked, every boundary closed', () => {
    const a = fuzzMultipart(prng(7), 3, BODY);
    expect(fuzzMultipart(prng(7), 3, BODY)).toBe(a);
    expect(fuzzMultipart(prng(8), 3, BODY)).not.toBe(a);
    expect(a.match(/Content-Type: message\/rfc822/g)).toHaveLength(3);
    expect(a.match(/^Subject: inner\r$/gm)).toHaveLength(3);
    const outer = /boundary="([^"]*)"/.exec(a)?.[1] as string;
    expect(a.endsWith(`--${outer}--\r\n`)).toBe(true);
    expect(a).toContain('Hello =ZZ\r\n');
  });

  it('deals each shared blow as named', () => {
    const r = prng(1);
    const base = fuzzMultipart(r, 1, BODY);
    for (let i = 0; i < 50; i++) {
      const cut = DAMAGE.truncate(r, base);
      expect(base.startsWith(cut) && cut.length < base.length).toBe(true);
      expect(DAMAGE.dropBoundaries(r, base)).not.toMatch(/^--b1_\d+\r$/m);
      expect(DAMAGE.lineEndings(r, base).length).toBeLessThanOrEqual(base.length + base.split('\r\n').length);
      expect([...DAMAGE.splice(r, base)].sort().join('')).toBe([...base].sort().join(''));
      expect(DAMAGE.byteNoise(r, base)).toHaveLength(base.length);
      expect(['', '\r\n', '\r\n\r\n', 'garbage without colon', ':', '--\r\n', '\u0000'.repeat(100)]).toContain(DAMAGE.noHeaders(r, base));
    }
  });
});
