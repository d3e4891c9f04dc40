/**
 * The digest command: the only file that touches `process`. `--version` and `--help` are
 * answered before anything heavy loads; everything else is in main.ts, which tests call
 * in-process.
 */
import { fileURLToPath } from 'node:url';
import { answerEarly, cliArgs } from '@jobs/core/cli';

const args = cliArgs(process.argv);
const early = await answerEarly(
  args,
  { name: 'digest', packageJson: new URL('../package.json', import.meta.url), help: async () => (await import('./args.ts')).HELP },
  process.stdout,
);
if (early !== undefined) process.exitCode = early;
else {
  const { main } = await import('./main.ts');
  try {
    process.exitCode = await main(args, {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      workspaceRoot: fileURLToPath(new URL('../../../', import.meta.url)),
      cwd: process.cwd(),
    });
  } catch (err) {
    process.stderr.write(`digest: unexpected failure: ${String(err)}\n`);
    process.exitCode = 1;
  }
}
