/** The one-line run summary (messages, threads, tokens, USD, time) and the TTY progress display. */
import type { Progress } from './run.ts';
import type { RunReport } from './types.ts';

/** "digest sent: 32 messages, 18 threads (8 need a reply), 0 tokens, $0.0000, 1.2 s, to carole@..." */
export function summaryLine(r: RunReport): string {
  const what = r.outcome === 'sent' ? 'digest sent' : r.outcome === 'dry-run' ? 'digest (dry run, not sent)' : 'no new mail, nothing sent';
  // Grouped by hand: toLocaleString would load ICU's locale data (~8 MB) into every run.
  const tokens = String(r.inputTokens + r.outputTokens).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const parts = [
    `${r.messagesRead} message${r.messagesRead === 1 ? '' : 's'}`,
    `${r.threads} thread${r.threads === 1 ? '' : 's'} (${r.sections.reply} need a reply)`,
    `${tokens} tokens`,
    `$${r.usd.toFixed(4)}`,
    `${(r.ms / 1000).toFixed(1)} s`,
  ];
  if (r.degraded) parts.push(`extractive: ${r.degraded}`);
  if (r.unreadableCount) parts.push(`${r.unreadableCount} unreadable`);
  if (r.to) parts.push(`to ${r.to}`);
  return `${what}: ${parts.join(', ')}`;
}

/**
 * A one-line progress display redrawn in place; only ever built for a TTY. A line longer than
 * the terminal would wrap, and `\r` would then redraw only its last row: lines are cut to
 * `columns - 1`.
 */
export function ttyProgress(write: (s: string) => void, columns?: number): Progress {
  let last = '';
  const width = columns !== undefined && Number.isInteger(columns) && columns > 1 ? columns - 1 : Number.POSITIVE_INFINITY;
  const draw = (line: string) => {
    const s = line.length > width ? line.slice(0, width) : line;
    if (s === last) return;
    last = s;
    write(`\r\u001b[2K${s}`);
  };
  return {
    fetching(done, remaining) {
      draw(remaining === undefined ? `fetching: ${done}` : `fetching: ${done}/${done + remaining}`);
    },
    summarizing(done, total) {
      draw(`summarizing: ${done}/${total} threads`);
    },
    done() {
      if (last) write('\r\u001b[2K');
      last = '';
    },
  };
}
