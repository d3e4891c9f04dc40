/**
 * The lead responder's command line: the only file that touches `process`. See main.ts.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.ts';

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  home: homedir(),
  workspaceRoot,
  signal: controller.signal,
});
process.exitCode = code;
