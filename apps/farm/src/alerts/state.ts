/**
 * Farm's failure alerts use the suite's once-a-day rule (@jobs/mail/alert-state), one record
 * per job under the farm's state dir.
 */
import { join } from 'node:path';

export { type AlertDecision, type AlertState, dayIn, decide, nextState, readAlertState, writeAlertState } from '@jobs/mail/alert-state';

/** The file of a job's record. */
export function alertStatePath(farmDir: string, job: string): string {
  return join(farmDir, 'alerts', `${job}.json`);
}
