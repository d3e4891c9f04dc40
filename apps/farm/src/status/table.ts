/** `farm status` on a terminal: one line per job, columns aligned, durations and times short. */
import type { JobStatus } from './collect.ts';

const dur = (ms: number | null): string => (ms === null ? '-' : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);

/** `YYYY-MM-DD HH:MM` of an ISO time in the zone. */
function at(iso: string | null, timeZone: string): string {
  if (iso === null) return '-';
  const s = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return s.replace(',', '');
}

/** The table, with the zone and queue lines under it. */
export function statusTable(jobs: JobStatus[], o: { timezone: string; queue: { name: string; waiting: number; active: number; delayed: number; failed: number } | null | string }): string {
  const head = ['job', 'last run', 'outcome', 'exit', 'took', 'next run', 'fails', 'spent today', 'lock', 'reason'];
  const rows = jobs.map((j) => [
    j.job,
    at(j.lastRun?.startedAt ?? null, o.timezone),
    j.lastRun?.outcome ?? 'never',
    j.lastRun?.exitCode === null || j.lastRun === null ? '-' : String(j.lastRun.exitCode),
    dur(j.lastRun?.durationMs ?? null),
    at(j.nextRun, o.timezone),
    String(j.consecutiveFailures),
    `$${j.spentTodayUsd.toFixed(3)}${j.budgetUsd !== null ? ` / $${j.budgetUsd.toFixed(2)}` : ''}`,
    j.lock === null ? '-' : `pid ${j.lock.pid}${j.lock.host ? `@${j.lock.host}` : ''}${j.lock.alive === false ? ' (gone)' : ''}`,
    (j.lastRun?.reason ?? '').slice(0, 60) || '-',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((v, c) => (c === cells.length - 1 ? v : v.padEnd(widths[c] ?? 0))).join('  ');
  const q = o.queue === null ? 'queue: none (REDIS_URL unset)' : typeof o.queue === 'string' ? `queue: ${o.queue}` : `queue ${o.queue.name}: ${o.queue.waiting} waiting, ${o.queue.active} active, ${o.queue.delayed} delayed, ${o.queue.failed} failed`;
  return `${[line(head), ...rows.map(line)].join('\n')}\n\ntimes in ${o.timezone}; ${q}\n`;
}
