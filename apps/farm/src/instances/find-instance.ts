/** Finding an instance of the jobs file by name (`farm run-job NAME`), apart from load.ts so that `farm status` does not load the job runner (src/jobs.ts). */
import { FarmError } from '../errors.ts';
import { JOBS } from '../jobs.ts';
import type { Instance, JobsFile } from './jobs-file.ts';

/** The instance called `name`; EUSAGE naming the jobs and instances there are. */
export function findInstance(jobs: JobsFile | undefined, name: string | undefined): Instance {
  const inst = jobs?.instances.find((i) => i.name === name);
  if (inst !== undefined) return inst;
  const names = [...Object.keys(JOBS), ...(jobs?.instances.map((i) => i.name) ?? [])];
  const where = jobs === undefined ? ' (no jobs file: --jobs FILE, $JOBS_FILE or jobs.json at the workspace root)' : ` (instances from ${jobs.file})`;
  throw new FarmError('EUSAGE', `run-job needs a job or an instance: ${names.join(' | ')}${where}, got ${JSON.stringify(name ?? '')}`, { option: 'job' });
}
