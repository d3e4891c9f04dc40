/**
 * healthchecks.io-style pings for one job: `<url>/start` when a run starts, `<url>` when it
 * succeeds, `<url>/fail` when it fails. The monitor then notices a job that never starts at
 * all (the VM is down, cron is broken), which no alert sent from here can. A ping that fails is
 * logged and never fails the run. The URL carries the check's token: it is never logged.
 */
import type { Logger } from '@jobs/core/logger';

/** Which ping. */
export type PingKind = 'start' | 'success' | 'fail';

/** The URL of a ping. */
export function pingUrl(base: string, kind: PingKind): string {
  const u = base.replace(/\/+$/, '');
  return kind === 'success' ? u : `${u}/${kind}`;
}

/** Sends one ping (10 s at most); `body` is a short reason for the fail ping. */
export async function ping(base: string | undefined, kind: PingKind, o: { logger: Logger; fetch?: typeof fetch; job: string; body?: string }): Promise<void> {
  if (base === undefined) return;
  try {
    const res = await (o.fetch ?? fetch)(pingUrl(base, kind), { method: 'POST', body: o.body ?? '', signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) o.logger.warn({ job: o.job, ping: kind, status: res.status }, 'monitor ping refused');
  } catch (err) {
    o.logger.warn({ job: o.job, ping: kind, error: (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message }, 'monitor ping not sent');
  }
}
