/**
 * `farm status` on a terminal: one line per job (or per instance, with a jobs file), columns
 * aligned, durations and times short, the zone and the queue under the table.
 */
import type { JobStatus } from './collect.ts';
import type { QueueDepth } from './queue-depth.ts';

const dur = (ms: number | null): string => (ms === null ? '-' : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);

/** `YYYY-MM-DD HH:MM` of an ISO time in the zone. */
function at(iso: string | null, timeZone: string): string {
  if (iso === null) return '-';
  const s = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return s.replace(',', '');
}

function spent(j: JobStatus): string {
  const budget = j.budgetUsd === null ? '' : ` / $${j.budgetUsd.toFixed(2)}${j.budgetPer === 'run' ? ' a run' : ''}`;
  return `$${j.spentTodayUsd.toFixed(3)}${budget}`;
}

function lock(j: JobStatus): string {
  return j.lock === null ? '-' : `pid ${j.lock.pid}${j.lock.host ? `@${j.lock.host}` : ''}${j.lock.alive === false ? ' (gone)' : ''}`;
}

/** The table, with the zone and queue lines under it. */
export function statusTable(jobs: JobStatus[], o: { timezone: string; queue: QueueDepth | null | string }): string {
  const instances = jobs.some((j) => j.instance !== null);
  const head = [...(instances ? ['instance'] : []), 'job', 'last run', 'outcome', 'exit', 'took', 'next run', 'fails', 'spent today', 'lock', 'reason'];
  const rows = jobs.map((j) => [
    ...(instances ? [j.instance ?? '-'] : []),
    j.job,
    at(j.lastRun?.startedAt ?? null, o.timezone),
    j.lastRun?.outcome ?? 'never',
    j.lastRun?.exitCode === null || j.lastRun === null ? '-' : String(j.lastRun.exitCode),
    dur(j.lastRun?.durationMs ?? null),
    at(j.nextRun, o.timezone),
    String(j.consecutiveFailures),
    spent(j),
    lock(j),
    (j.lastRun?.reason ?? '').slice(0, 60) || '-',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((v, c) => (c === cells.length - 1 ? v : v.padEnd(widths[c] ?? 0))).join('  ');
  const q = o.queue === null ? 'queue: none (REDIS_URL unset)' : typeof o.queue === 'string' ? `queue: ${o.queue}` : `queue ${o.queue.name}: ${o.queue.waiting} waiting, ${o.queue.active} active, ${o.queue.delayed} delayed, ${o.queue.failed} failed`;
  return `${[line(head), ...rows.map(line)].join('\n')}\n\ntimes in ${o.timezone}; ${q}\n`;
}
