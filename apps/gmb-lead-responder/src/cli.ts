/**
 * The lead responder's command line: the only file that touches `process`. See main.ts.
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

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const code = await main(cliArgs(process.argv), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  home: homedir(),
  workspaceRoot,
  signal: controller.signal,
});
process.exitCode = code;
