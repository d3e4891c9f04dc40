#!/usr/bin/env node
/** `pnpm cost ...`: the only file that touches `process`. */
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.ts';

/**
 * The command's arguments. Scripts run `node --import tsx cli.ts -- ARGS`: Node 20 reads an
 * `--env-file` anywhere in its argv as its own option (a missing file exits 9 before our code
 * runs), and the `--` keeps our `--env-file` ours. The `--` itself is dropped here.
 */
function cliArgs(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

process.exitCode = await main(cliArgs(process.argv), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
  home: homedir(),
  cwd: process.cwd(),
  workspaceRoot,
  hostname: hostname(),
  localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
});
