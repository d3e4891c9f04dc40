// Covers every CLI's entry from the sources, as the root scripts (`pnpm farm`, `pnpm digest`)
// start it: plain `node apps/<app>/src/cli.ts` (Node's own type stripping, no tsx loader, no
// NODE_OPTIONS), `--version` printing the app's name and package version, and `--help`
// answered with exit 0. The build (what systemd and cron start) is covered by built-cli.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIS } from './clis.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`apps/${dir}/src/cli.ts`, '--', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home' }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(CLIS)('$name CLI without tsx', ({ name, dir }) => {
  it('--version prints the name and the package version', async () => {
    const { version } = JSON.parse(readFileSync(`${ROOT}apps/${dir}/package.json`, 'utf8')) as { version: string };
    const r = await run(dir, ['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${name} ${version}\n`);
  });

  it('--help prints usage, exit 0, nothing on stderr', async () => {
    const r = await run(dir, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/usage/i);
    expect(r.stderr).toBe('');
  });
});
