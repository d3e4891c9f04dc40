/**
 * The `farm` command (`pnpm farm ...` from the workspace root). The only file that touches
 * `process`: it answers `--version` and `--help` before anything heavy loads, then hands the
 * environment, streams and signals to `main`.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerEarly, cliArgs } from '@jobs/core/cli';

const args = cliArgs(process.argv);
const early = await answerEarly(
  args,
  { name: 'farm', packageJson: new URL('../package.json', import.meta.url), help: async () => (await import('./help.ts')).HELP },
  process.stdout,
);
if (early !== undefined) process.exit(early);
const stopSignal = new Promise<void>((res) => {
  process.once('SIGINT', () => res());
  process.once('SIGTERM', () => res());
});
const { main } = await import('./main.ts');
const code = await main(args, {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  home: homedir(),
  workspaceRoot: resolve(dirname(fileURLToPath(import.meta.url)), '../../..'),
  stopSignal,
});
process.exitCode = code;
// Daemons leave handles (sockets, timers) behind once stopped: exit explicitly.
process.exit(code);
