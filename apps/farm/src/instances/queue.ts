/**
 * Instance runs on the farm's BullMQ queue (beside `farm enqueue`'s tasks): a run is
 * `{ instance, slot }`, nothing secret (each worker reads its own jobs file and the instance's
 * repos.env). Its queue job id is the instance and the slot's minute, so the same run enqueued
 * twice (two schedulers) is one job. A worker runs it under the instance's Redis lock (no two
 * hosts at once) and its file lock (no two processes of a host at once), the job's child tied
 * to the worker's life (`setpriv --pdeathsig`): a killed worker leaves no run going behind it.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { FarmError } from '../errors.ts';
import { connectionOf } from '../queue.ts';

/** The BullMQ job name of an instance run. */
export const INSTANCE_RUN = 'instance-run';

/** What goes on the queue for an instance run. */
export interface InstanceRunData {
  instance: string;
  /** The schedule slot, ISO 8601. */
  slot: string;
  /** Who added it (tells a new job from one already there). */
  token?: string;
}

/** The queue job id of an instance's run at `slot`: `instance.<name>.<YYYYMMDDTHHMM>Z` (BullMQ ids cannot hold ':'). */
export function instanceRunId(instance: string, slot: string): string {
  const d = new Date(slot);
  if (Number.isNaN(d.getTime())) throw new FarmError('EUSAGE', `not a slot time: ${JSON.stringify(slot)}`, { option: 'slot' });
  return `instance.${instance}.${d.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
}

/** Adds instance runs; for each, its id and whether this call added it (false: already queued). */
export async function enqueueInstanceRuns(redisUrl: string, queueName: string, runs: InstanceRunData[]): Promise<Array<{ id: string; added: boolean }>> {
  const queue = new Queue(queueName, { connection: connectionOf(redisUrl) });
  try {
    const out: Array<{ id: string; added: boolean }> = [];
    for (const r of runs) {
      const id = instanceRunId(r.instance, r.slot);
      const token = randomUUID();
      const job = await queue.add(INSTANCE_RUN, { instance: r.instance, slot: r.slot, token }, { jobId: id, removeOnComplete: { count: 10_000 }, removeOnFail: { count: 10_000 }, attempts: 1 });
      // add() with an id already there keeps the stored job: its token tells whose it is.
      const stored = await queue.getJob(job.id ?? id);
      out.push({ id, added: (stored?.data as InstanceRunData | undefined)?.token === token });
    }
    return out;
  } catch (cause) {
    throw new FarmError('EQUEUE', `could not enqueue on ${queueName}: ${(cause as Error).message}`, { cause });
  } finally {
    await queue.close();
  }
}
