/**
 * Finding the jobs file: `--jobs FILE`, else `$JOBS_FILE`, else `jobs.json` / `jobs.yaml` at the
 * workspace root; none of them: no instances (the single-instance setup). Apart from the reader
 * (jobs-file.ts: the YAML parser, the schema), which loads only when there is a file.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the jobs file is: the flag, `$JOBS_FILE`, or the workspace's jobs.json / jobs.yaml; undefined when none. */
export function findJobsFile(o: { flag?: string | undefined; envValue?: string | undefined; cwd: string; workspaceRoot: string }): string | undefined {
  const given = o.flag ?? o.envValue;
  if (given !== undefined && given !== '') return resolve(o.cwd, given);
  for (const name of ['jobs.json', 'jobs.yaml', 'jobs.yml']) {
    const f = join(o.workspaceRoot, name);
    if (existsSync(f)) return f;
  }
  return undefined;
}
