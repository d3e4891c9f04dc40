/**
 * The configuration of a command that needs no secret (`--dry-run`, `farm status`): a missing
 * repos.env at the default place is no reason to stop. Without one the farm's defaults are used
 * and a note says so; a file named on purpose (--env-file, REPOS_ENV) that is missing, and a
 * file that is there but loose or malformed, are still configuration errors (exit 78).
 */
import { join } from 'node:path';
import { createLogger } from '@jobs/core/logger';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { farmSchema } from '../config.ts';
import { type CliDeps, type Loaded, loadConfig } from './common.ts';

/** loadConfig, or the defaults (and `note` on stderr) when no repos.env exists where one is looked for by default. */
export async function loadConfigOrDefaults(deps: CliDeps, envFile: string | undefined, note: string): Promise<Loaded> {
  try {
    return await loadConfig(deps, envFile);
  } catch (err) {
    const runtime = readRuntimeEnv(deps.env);
    if ((err as { code?: unknown }).code !== 'ENOFILE' || envFile !== undefined || runtime.REPOS_ENV !== undefined) throw err;
    deps.stderr.write(`farm: no repos.env: ${note}\n`);
    const redact = (s: string): string => s;
    const logger = createLogger({ level: runtime.LOG_LEVEL, redact, stream: deps.stderr, base: { app: 'farm' } });
    return { cfg: farmSchema.parse({}), file: join(deps.workspaceRoot, 'repos.env'), redact, logger };
  }
}

/** The configuration of a `--dry-run`. */
export function loadConfigForDryRun(deps: CliDeps, envFile: string | undefined): Promise<Loaded> {
  return loadConfigOrDefaults(deps, envFile, 'dry run with the default settings (a real run needs one)');
}
