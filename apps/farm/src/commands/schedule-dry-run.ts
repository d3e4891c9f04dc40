/** `farm schedule --dry-run` as text: each job's cron and its next runs in the schedule's zone. */
import type { ScheduleEntry } from '../schedule-entries.ts';

/** The lines printed. */
export function dryRunText(timezone: string, path: string, reason: string, entries: ScheduleEntry[], next: Record<string, string[]>): string {
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const lines = [`[dry-run] schedule in ${timezone}, jobs on the ${path} path (${reason}); nothing runs.`];
  const width = Math.max(...entries.map((e) => e.job.length));
  for (const e of entries) {
    const times = (next[e.job] ?? []).map((iso) => fmt.format(new Date(iso)).replace(',', ''));
    lines.push(`  ${e.job.padEnd(width)}  ${e.cron.padEnd(14)}  next: ${times.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
