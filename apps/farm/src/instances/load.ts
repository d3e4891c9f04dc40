/** The jobs file a command uses (`--jobs`, `$JOBS_FILE`, the workspace's jobs.json), and finding an instance in it. */
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import type { CliDeps } from '../commands/common.ts';
import { FarmError } from '../errors.ts';
import { JOBS } from '../jobs.ts';
import { findJobsFile } from './find-jobs-file.ts';
import type { Instance, JobsFile } from './jobs-file.ts';

/** Loads the jobs file when there is one; undefined: the single-instance setup. */
export async function jobsFileOf(deps: CliDeps, flag: string | undefined): Promise<JobsFile | undefined> {
  const file = findJobsFile({ flag, envValue: readRuntimeEnv(deps.env).JOBS_FILE, cwd: deps.cwd, workspaceRoot: deps.workspaceRoot });
  // The YAML parser and the schema load only when there is a file to read.
  return file === undefined ? undefined : (await import('./jobs-file.ts')).loadJobsFile(file);
}

/** The instance called `name`; EUSAGE naming the jobs and instances there are. */
export function findInstance(jobs: JobsFile | undefined, name: string | undefined): Instance {
  const inst = jobs?.instances.find((i) => i.name === name);
  if (inst !== undefined) return inst;
  const names = [...Object.keys(JOBS), ...(jobs?.instances.map((i) => i.name) ?? [])];
  const where = jobs === undefined ? ' (no jobs file: --jobs FILE, $JOBS_FILE or jobs.json at the workspace root)' : ` (instances from ${jobs.file})`;
  throw new FarmError('EUSAGE', `run-job needs a job or an instance: ${names.join(' | ')}${where}, got ${JSON.stringify(name ?? '')}`, { option: 'job' });
}
