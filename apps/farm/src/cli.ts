/**
 * The `farm` command (`pnpm farm ...` from the workspace root). The only file that touches
 * `process`: it hands the environment, streams and signals to `main`.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
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

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const stopSignal = new Promise<void>((res) => {
  process.once('SIGINT', () => res());
  process.once('SIGTERM', () => res());
});
const code = await main(cliArgs(process.argv), {
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
