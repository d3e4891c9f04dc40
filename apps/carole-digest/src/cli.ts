/**
 * The digest command: the only file that touches `process`. Everything else is in main.ts,
 * which tests call in-process.
 */
import { fileURLToPath } from 'node:url';
import { main } from './main.ts';

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

main(process.argv.slice(2), {
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
