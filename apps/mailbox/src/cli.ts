#!/usr/bin/env node
/** `pnpm mailbox ...`: the only file that touches `process`. `--version` and `--help` load nothing heavy. */
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { answerEarly, cliArgs } from '@jobs/core/cli';

const args = cliArgs(process.argv);
const early = await answerEarly(
  args,
  { name: 'mailbox', packageJson: new URL('../package.json', import.meta.url), help: async () => (await import('./help.ts')).MAIN_HELP },
  process.stdout,
);
if (early !== undefined) process.exit(early);
const { main, SecretSet } = await import('./main.ts');
let lines: AsyncIterator<string> | undefined;
process.exitCode = await main(args, {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readLine: async () => {
    lines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const next = await lines.next();
    return next.done ? undefined : next.value;
  },
  now: Date.now,
  home: homedir(),
  cwd: process.cwd(),
  workspaceRoot: join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
  secrets: new SecretSet(),
});
// A pending stdin read (the pasted-URL fallback) must not keep the process alive.
process.stdin.unref?.();
process.exit();
