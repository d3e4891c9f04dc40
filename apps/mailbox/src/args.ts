/** The `<job>` argument shared by the commands. */
import { JOBS, type JobName } from './config.ts';
import { MailboxError } from './errors.ts';

/** The job named by the first positional (required or not); EUSAGE listing the jobs otherwise. */
export function jobArg(positionals: readonly string[], required: boolean): JobName | undefined {
  if (positionals.length > 1) throw new MailboxError('EUSAGE', `one job at most, got ${positionals.join(' ')}`);
  const job = positionals[0];
  if (job === undefined) {
    if (required) throw new MailboxError('EUSAGE', `name the job: ${Object.keys(JOBS).join(' or ')}`);
    return undefined;
  }
  if (!(job in JOBS)) throw new MailboxError('EUSAGE', `unknown job ${JSON.stringify(job)}: expected ${Object.keys(JOBS).join(' or ')}`);
  return job as JobName;
}
