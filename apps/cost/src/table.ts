/**
 * The terminal table of `cost report`: one line per group, a total line, billed API dollars and
 * subscription-equivalent dollars in separate columns (never added: one is money charged, the
 * other what the same tokens would have cost).
 */
import type { Group, Summary, Totals } from '@jobs/ledger/report';

/** Dollars with enough digits to tell small amounts apart. */
export function usd(n: number): string {
  if (n === 0) return '$0';
  const digits = n >= 100 ? 2 : n >= 1 ? 3 : n >= 0.01 ? 4 : 6;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

const int = (n: number) => n.toLocaleString('en-US');

function withUnknown(dollars: number, unknown: number): string {
  return unknown > 0 ? `${usd(dollars)} +${unknown}?` : usd(dollars);
}

function cells(key: string, t: Totals): string[] {
  return [
    key,
    int(t.calls),
    int(t.inputTokens),
    int(t.outputTokens),
    int(t.cacheCreationInputTokens),
    int(t.cacheReadInputTokens),
    withUnknown(t.billedUsd, t.billedUnknownCalls),
    withUnknown(t.equivalentUsd, t.equivalentUnknownCalls),
  ];
}

/** Groups in reading order: days by date, everything else by billed then equivalent dollars. */
export function orderGroups(summary: Summary): Group[] {
  if (summary.by.length === 1 && summary.by[0] === 'day') return summary.groups;
  return [...summary.groups].sort((a, b) => b.billedUsd - a.billedUsd || b.equivalentUsd - a.equivalentUsd || (a.key < b.key ? -1 : 1));
}

/** The table as text (ends with a newline). */
export function renderTable(summary: Summary, heading: string): string {
  const head = [summary.by.join(' / '), 'calls', 'input', 'output', 'cache write', 'cache read', 'billed (API $)', 'subscription (API-equiv. $)'];
  const rows = orderGroups(summary).map((g) => cells(g.key === '' ? '(none)' : g.key, g));
  const total = cells('TOTAL', summary.totals);
  const all = [head, ...rows, total];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [heading, '', line(head), rule, ...rows.map(line), rule, line(total), ''];
  if (rows.length === 0) out.splice(4, 0, '(no calls in this range)');
  const unknown = summary.totals.billedUnknownCalls + summary.totals.equivalentUnknownCalls;
  out.push('billed: dollars the API charged (api + remote paths).');
  out.push('subscription: what subscription work would have cost on the API; no money was charged. The two are never added.');
  if (unknown > 0) out.push(`+N?: N calls on a model with no price, not counted in the dollars.`);
  return `${out.join('\n')}\n`;
}
