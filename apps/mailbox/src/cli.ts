#!/usr/bin/env node
/** `pnpm mailbox ...`: the only file that touches `process`. */
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { main, SecretSet } from './main.ts';

/** The command's arguments; the `--` the root script puts first is dropped (see apps/cost). */
function cliArgs(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let lines: AsyncIterator<string> | undefined;

process.exitCode = await main(cliArgs(process.argv), {
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
  workspaceRoot,
  secrets: new SecretSet(),
});
// A pending stdin read (the pasted-URL fallback) must not keep the process alive.
process.stdin.unref?.();
process.exit();
