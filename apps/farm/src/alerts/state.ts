/**
 * Farm's failure alerts use the suite's once-a-day rule (@jobs/mail/alert-state), one record
 * per job or instance under the farm's state dir (`alerts/<job>.json`, `instance-<name>.json`).
 */
import { join } from 'node:path';

export { type AlertDecision, type AlertState, dayIn, decide, nextState, readAlertState, writeAlertState } from '@jobs/mail/alert-state';

/** The file of a job's record (an instance's: `key` from runKey). */
export function alertStatePath(farmDir: string, key: string): string {
  return join(farmDir, 'alerts', `${key}.json`);
}
