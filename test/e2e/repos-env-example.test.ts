// repos.env.example against the jobs' own schemas: every key a job reads is documented there,
// and the example names no key that no job reads.
import { readFile } from 'node:fs/promises';
import { notifySchema } from '@jobs/cost/config';
import { DIGEST_KEYS } from '@jobs/digest/config';
import { farmSchema } from '@jobs/farm/config';
import { configSchema as leadSchema } from '@jobs/lead-responder/config';
import { mailboxSchema } from '@jobs/mailbox/config';
import { describe, expect, it } from 'vitest';

const EXAMPLE = new URL('../../repos.env.example', import.meta.url);

/** Keys the example shows, set (`KEY=`) or commented out (`# KEY=value`). */
async function documentedKeys(): Promise<Set<string>> {
  const text = await readFile(EXAMPLE, 'utf8');
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m?.[1]) keys.add(m[1]);
  }
  return keys;
}

const JOBS: Record<string, readonly string[]> = {
  digest: Object.keys(DIGEST_KEYS),
  'lead-responder': Object.keys(leadSchema.shape),
  'cost check --notify': Object.keys(notifySchema.shape),
  farm: Object.keys(farmSchema.shape),
  mailbox: Object.keys(mailboxSchema.shape),
};

describe('repos.env.example', () => {
  for (const [job, keys] of Object.entries(JOBS)) {
    it(`documents every key ${job} reads`, async () => {
      const documented = await documentedKeys();
      expect(keys.length).toBeGreaterThan(3);
      expect(keys.filter((k) => !documented.has(k))).toEqual([]);
    });
  }

  it('names no key that no job reads', async () => {
    const read = new Set(Object.values(JOBS).flat());
    expect([...(await documentedKeys())].filter((k) => !read.has(k))).toEqual([]);
  });
});
