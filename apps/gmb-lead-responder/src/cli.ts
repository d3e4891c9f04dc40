/**
 * The lead responder's command line: the only file that touches `process`. `--version` and
 * `--help` are answered before anything heavy loads. See main.ts.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerEarly, cliArgs } from '@jobs/core/cli';

const args = cliArgs(process.argv);
const early = await answerEarly(
  args,
  {
    name: 'lead-responder',
    packageJson: new URL('../package.json', import.meta.url),
    help: async () => (await import('./cli-args.ts')).HELP,
  },
  process.stdout,
);
if (early !== undefined) process.exitCode = early;
else {
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
  const { main } = await import('./main.ts');
  process.exitCode = await main(args, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    home: homedir(),
    workspaceRoot: resolve(dirname(fileURLToPath(import.meta.url)), '../../..'),
    signal: controller.signal,
  });
}
