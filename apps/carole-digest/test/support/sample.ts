/** Test support: the bundled sample Maildir, read and threaded as a run would. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../../src/collect.ts';
import { noopLogger } from '@jobs/core/logger';
import { createMaildirSource } from '../../src/source/maildir.ts';
import { buildThreads, type PendingThread } from '../../src/threads.ts';

import { SAMPLE_MAILDIR } from '../../src/sample.ts';

export { SAMPLE_MAILDIR };
export const OWN = ['carole@carolesgardens.example', 'hello@carolesgardens.example'];

/** The sample's threads (spam dropped). */
export async function sampleThreads(): Promise<PendingThread[]> {
  const stateDir = await mkdtemp(join(tmpdir(), 'digest-test-'));
  const run = await createMaildirSource({ path: SAMPLE_MAILDIR, stateDir }).open({ classify: { ownAddresses: OWN, maxMessageChars: 1500 } });
  const { messages } = await collect(run, { logger: noopLogger });
  return buildThreads(messages);
}
