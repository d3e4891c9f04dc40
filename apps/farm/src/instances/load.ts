/** The jobs file a command uses (`--jobs`, `$JOBS_FILE`, the workspace's jobs.json); find-instance.ts finds an instance in it. */
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import type { CliDeps } from '../commands/common.ts';
import { findJobsFile } from './find-jobs-file.ts';
import type { JobsFile } from './jobs-file.ts';

/** Loads the jobs file when there is one; undefined: the single-instance setup. */
export async function jobsFileOf(deps: CliDeps, flag: string | undefined): Promise<JobsFile | undefined> {
  const file = findJobsFile({ flag, envValue: readRuntimeEnv(deps.env).JOBS_FILE, cwd: deps.cwd, workspaceRoot: deps.workspaceRoot });
  // The YAML parser and the schema load only when there is a file to read.
  return file === undefined ? undefined : (await import('./jobs-file.ts')).loadJobsFile(file);
}
