#!/usr/bin/env node
/** `pnpm cost ...`: the only file that touches `process`. `--version` and `--help` load nothing heavy. */
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerEarly, cliArgs } from '@jobs/core/cli';

const args = cliArgs(process.argv);
const early = await answerEarly(
  args,
  { name: 'cost', packageJson: new URL('../package.json', import.meta.url), help: async () => (await import('./help.ts')).MAIN_HELP },
  process.stdout,
);
if (early !== undefined) process.exitCode = early;
else {
  const { main } = await import('./main.ts');
  process.exitCode = await main(args, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
    home: homedir(),
    cwd: process.cwd(),
    workspaceRoot: join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
    hostname: hostname(),
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
}
