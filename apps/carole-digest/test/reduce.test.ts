// Covers what a message is reduced to before threading: header lines the digest never reads are
// dropped without changing the record, and list footers, disclaimers and "sent from" lines are cut.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage } from '@jobs/mail/parse';
import { describe, expect, it } from 'vitest';
import { dropBoilerplate } from '../src/text.ts';
import { keepDigestHeaders } from '../src/parse/headers.ts';
import { parseForDigest, reduceParsed } from '../src/parse/item.ts';
import { OWN, SAMPLE_MAILDIR } from './support/sample.ts';

const classify = { ownAddresses: OWN, maxMessageChars: 1500 };
const sample = ['cur', 'new'].flatMap((d) => readdirSync(join(SAMPLE_MAILDIR, d)).map((f) => readFileSync(join(SAMPLE_MAILDIR, d, f))));

describe('keepDigestHeaders', () => {
  it('keeps the fields the digest reads, folded lines included, the first Received, and the body byte for byte', () => {
    const raw = Buffer.from(
      'Received: from a by b; Tue, 3 Nov 2026 10:00:00 +0000\r\nReceived: from c by d\r\nTo: x@example.com,\r\n  y@example.com\r\nSubject: Roof\r\n  quote\r\nDKIM-Signature: v=1;\r\n\tb=abc\r\nFrom: Dana <dana@example.com>\r\n\r\nBody\r\nTo: not a header\r\n',
    );
    expect(keepDigestHeaders(raw).toString()).toBe(
      'Received: from a by b; Tue, 3 Nov 2026 10:00:00 +0000\r\nSubject: Roof\r\n  quote\r\nFrom: Dana <dana@example.com>\r\n\r\nBody\r\nTo: not a header\r\n',
    );
  });

  it('returns the buffer itself when nothing is dropped, and copes with no header block', () => {
    const raw = Buffer.from('From: a@example.com\nSubject: x\n\nhi\n');
    expect(keepDigestHeaders(raw)).toBe(raw);
    const bare = Buffer.from('\nonly a body\n');
    expect(keepDigestHeaders(bare)).toBe(bare);
  });

  it('gives the same digest record for every sample message as the full headers do', async () => {
    for (const raw of sample) {
      const full = reduceParsed(await parseMessage(raw, { maxTextChars: 64 * 1024 }), classify);
      const kept = await parseForDigest(raw, { classify });
      expect(kept).toEqual(full);
    }
  });
});

describe('dropBoilerplate', () => {
  it('cuts a mailing-list footer, a disclaimer and a "sent from" line, and keeps the text', () => {
    const text = [
      'Can you send the quote by Friday?',
      '',
      'Sent from my iPhone',
      '',
      'This email is confidential and intended solely for the addressee.',
      '',
      '_______________________________________________',
      'Garden-talk mailing list',
      'https://lists.example.org/listinfo/garden-talk',
    ].join('\n');
    expect(dropBoilerplate(text)).toBe('Can you send the quote by Friday?');
  });

  it('keeps a rule line that starts no footer', () => {
    const text = 'Totals\n----------\n3 roses, 2 tulips';
    expect(dropBoilerplate(text)).toBe(text);
  });
});
