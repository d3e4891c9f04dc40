#!/usr/bin/env node
/** `pnpm cost ...`: the only file that touches `process`. */
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.ts';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

process.exitCode = await main(process.argv.slice(2), {
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
