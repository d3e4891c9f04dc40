/**
 * The digest command: the only file that touches `process`. Everything else is in main.ts,
 * which tests call in-process.
 */
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

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

main(cliArgs(process.argv), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  workspaceRoot,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`digest: unexpected failure: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
