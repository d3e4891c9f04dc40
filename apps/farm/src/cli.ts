/**
 * The `farm` command (`pnpm farm ...` from the workspace root). The only file that touches
 * `process`: it hands the environment, streams and signals to `main`.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.ts';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const stopSignal = new Promise<void>((res) => {
  process.once('SIGINT', () => res());
  process.once('SIGTERM', () => res());
});
const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  home: homedir(),
  workspaceRoot,
  stopSignal,
});
process.exitCode = code;
// Daemons leave handles (sockets, timers) behind once stopped: exit explicitly.
process.exit(code);
