/**
 * An instance's run, observed as a job's is (alerts/observed.ts): recorded in the instance's
 * own history once it holds the instance's lock, its own `pingUrl` pinged (start, success,
 * fail), and the owner alerted once a day per instance (per error) with a recovery notice per
 * instance. Every way an instance runs goes through here: `farm run-job NAME`, the scheduler
 * and a queue worker.
 */
import type { ObserveDeps } from '../alerts/observe.ts';
import { observed } from '../alerts/observed.ts';
import type { FarmContext } from '../context.ts';
import type { JobResult } from '../jobs.ts';
import type { Instance } from './jobs-file.ts';
import { type InstanceRunOptions, instanceTimeoutSeconds, runInstance } from './run-instance.ts';

/** The observation of `watch`, keyed by the instance. */
export function instanceWatch(watch: ObserveDeps, inst: Instance): ObserveDeps {
  return { ...watch, instance: { name: inst.name, pingUrl: inst.pingUrl } };
}

/** runInstance, recorded, pinged and alerted; resolves with how it ended (a failed job does not throw). */
export function runInstanceObserved(watch: ObserveDeps, ctx: FarmContext, inst: Instance, o: InstanceRunOptions): Promise<JobResult> {
  return observed(instanceWatch(watch, inst), inst.job, instanceTimeoutSeconds(inst, o), (onStart) => runInstance(ctx, inst, { ...o, onStart }));
}
