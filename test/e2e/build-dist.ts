/** vitest globalSetup: builds every app's dist/ (scripts/build-apps.ts) once before the tests run. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds apps/<app>/dist from the current sources. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-apps.ts'], { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
}
