/**
 * `pnpm demo`: the digest of the bundled sample Maildir (one week at Carole's Garden Design),
 * with no credentials at all: no repos.env, no API key (the extractive summarizer, and a line
 * saying so), no mail sent, no state written outside a fresh temp directory. Prints where the
 * HTML went.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summaryLine } from './report.ts';
import { runDigest } from './run.ts';
import { SAMPLE_MAILDIR as SAMPLE } from './sample.ts';
import { createMaildirSource } from './source/maildir.ts';

async function demo(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'carole-digest-demo-'));
  const outPath = join(dir, 'digest.html');
  process.stdout.write('No API key configured (the demo needs none): using the extractive summarizer.\n');
  const report = await runDigest(
    // The state dir is the temp dir: the demo leaves nothing behind elsewhere.
    { source: createMaildirSource({ path: SAMPLE, stateDir: dir }), claude: null, sender: null },
    {
      runId: randomUUID(),
      from: 'digest@carolesgardens.example',
      to: 'carole@carolesgardens.example',
      ownAddresses: ['carole@carolesgardens.example', 'hello@carolesgardens.example'],
      timeZone: 'America/New_York',
      dryRun: true,
      outPath,
      noClaudeReason: 'no-api-key',
    },
  );
  process.stdout.write(`${summaryLine(report)}\n`);
  process.stdout.write(`HTML digest written to ${outPath}\n`);
  return 0;
}

demo().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
