/**
 * The HTML report page: headline figures, the two per-day charts (billed API dollars; the
 * subscription's API-equivalent dollars), and tables per model, app and call site with both
 * billing paths side by side. One self-contained document: inline CSS and SVG, no script, no
 * fonts or images fetched, so it opens offline and can be mailed or archived as is.
 */
import type { Group, Summary } from '../../report.ts';
import type { Totals } from '../totals.ts';
import { renderStackedBars } from './chart.ts';
import { compact, count, esc, money, OTHER_COLOR, PALETTE } from './format.ts';

/** Everything the page shows. */
export interface PageInput {
  title: string;
  /** The range in words, e.g. "2026-11-17 – 2026-11-23 (UTC)". */
  rangeLabel: string;
  days: readonly string[];
  byDayApp: Summary;
  byModel: Summary;
  byApp: Summary;
  byCallSite: Summary;
  generatedAt: Date;
  /** Where the numbers came from, one line each (ledger path, rows skipped, logs read). */
  sources: readonly string[];
}

const MAX_SERIES = PALETTE.length;

/** Apps ordered by all dollars (both kinds), the first ones coloured, the rest folded into "other". */
function seriesOf(byApp: Summary): { colors: Map<string, string>; fold: (app: string) => string } {
  const apps = [...byApp.groups].sort((a, b) => b.billedUsd + b.equivalentUsd - (a.billedUsd + a.equivalentUsd));
  const many = apps.length > MAX_SERIES;
  const kept = many ? apps.slice(0, MAX_SERIES - 1) : apps;
  const colors = new Map<string, string>();
  kept.forEach((g, i) => {
    colors.set(g.key, PALETTE[i] ?? OTHER_COLOR);
  });
  if (many) colors.set('other', OTHER_COLOR);
  return { colors, fold: (app) => (colors.has(app) && app !== 'other' ? app : many ? 'other' : app) };
}

function chart(input: PageInput, kind: 'billedUsd' | 'equivalentUsd', label: string, colors: Map<string, string>, fold: (a: string) => string): string {
  const perDay = new Map<string, Map<string, number>>();
  for (const day of input.days) perDay.set(day, new Map());
  for (const g of input.byDayApp.groups) {
    const values = perDay.get(g.keys.day ?? '');
    if (values === undefined) continue;
    const app = fold(g.keys.app ?? '');
    values.set(app, (values.get(app) ?? 0) + g[kind]);
  }
  const series = [...colors].map(([name, color]) => ({ name, color }));
  const days = input.days.map((day) => ({ day, values: perDay.get(day) ?? new Map<string, number>() }));
  const id = kind === 'billedUsd' ? 'billed' : 'equivalent';
  return renderStackedBars({ id, label, days, series });
}

function legend(colors: Map<string, string>, totalsOf: (app: string) => number): string {
  const items = [...colors]
    .filter(([app]) => totalsOf(app) > 0)
    .map(([app, color]) => `<li><span class="swatch" style="background:${color}"></span>${esc(app)} <b>${esc(money(totalsOf(app)))}</b></li>`);
  return items.length === 0 ? '<p class="dim">Nothing in this range.</p>' : `<ul class="legend">${items.join('')}</ul>`;
}

function unknown(calls: number): string {
  return calls > 0 ? ` <span class="warn" title="calls whose model had no price: not counted in the dollars">+${count(calls)} unpriced</span>` : '';
}

function kpis(t: Totals): string {
  const prompt = t.inputTokens + t.cacheCreationInputTokens + t.cacheReadInputTokens;
  const cacheShare = prompt === 0 ? 0 : t.cacheReadInputTokens / prompt;
  const failed = t.errors + t.budgetRefused;
  return `<section class="kpis">
<div class="kpi billed"><h2>Billed on the API</h2><p class="big">${esc(money(t.billedUsd))}</p><p>real money${unknown(t.billedUnknownCalls)}</p></div>
<div class="kpi equivalent"><h2>Subscription work, at API prices</h2><p class="big">${esc(money(t.equivalentUsd))}</p><p>not billed: what it would have cost${unknown(t.equivalentUnknownCalls)}</p></div>
<div class="kpi"><h2>Calls</h2><p class="big">${esc(count(t.calls))}</p><p>${esc(count(t.attempts))} requests sent · ${esc(count(failed))} failed or refused</p></div>
<div class="kpi"><h2>Prompt tokens read from cache</h2><p class="big">${(cacheShare * 100).toFixed(0)}%</p><p>${esc(compact(t.cacheReadInputTokens))} of ${esc(compact(prompt))}</p></div>
</section>`;
}

function table(title: string, head: string, groups: readonly Group[], totals: Totals, limit = Infinity): string {
  const sorted = [...groups].sort((a, b) => b.billedUsd - a.billedUsd || b.equivalentUsd - a.equivalentUsd || (a.key < b.key ? -1 : 1));
  const shown = sorted.slice(0, limit);
  const maxBilled = Math.max(0, ...sorted.map((g) => g.billedUsd));
  const maxEq = Math.max(0, ...sorted.map((g) => g.equivalentUsd));
  const bar = (v: number, max: number, cls: string) =>
    `<span class="meter ${cls}" style="width:${max > 0 ? Math.round((v / max) * 56) : 0}px"></span>`;
  const rows = shown.map(
    (g) => `<tr><th scope="row">${esc(g.key)}</th><td>${esc(count(g.calls))}</td><td>${esc(compact(g.inputTokens))}</td><td>${esc(compact(g.outputTokens))}</td><td>${esc(compact(g.cacheCreationInputTokens))}</td><td>${esc(compact(g.cacheReadInputTokens))}</td>
<td class="usd">${bar(g.billedUsd, maxBilled, 'billed')}<span>${esc(money(g.billedUsd))}${unknown(g.billedUnknownCalls)}</span></td>
<td class="usd">${bar(g.equivalentUsd, maxEq, 'equivalent')}<span>${esc(money(g.equivalentUsd))}${unknown(g.equivalentUnknownCalls)}</span></td></tr>`,
  );
  const more = sorted.length > shown.length ? `<tr><td colspan="8" class="dim">… and ${sorted.length - shown.length} more</td></tr>` : '';
  return `<section><h2>${esc(title)}</h2><table>
<thead><tr><th>${esc(head)}</th><th>calls</th><th>input</th><th>output</th><th>cache write</th><th>cache read</th><th>billed on the API</th><th>subscription, at API prices</th></tr></thead>
<tbody>${rows.join('\n')}${more}</tbody>
<tfoot><tr><th>total</th><td>${esc(count(totals.calls))}</td><td>${esc(compact(totals.inputTokens))}</td><td>${esc(compact(totals.outputTokens))}</td><td>${esc(compact(totals.cacheCreationInputTokens))}</td><td>${esc(compact(totals.cacheReadInputTokens))}</td><td class="usd"><span>${esc(money(totals.billedUsd))}</span></td><td class="usd"><span>${esc(money(totals.equivalentUsd))}</span></td></tr></tfoot>
</table></section>`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#ffffff;color:#1f2430;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1000px;margin:0 auto;padding:24px 20px 48px}
header h1{font-size:24px;margin:0 0 2px}
.dim{color:#6b7280}
section{margin-top:28px}
section>h2{font-size:17px;margin:0 0 6px}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:20px 0 8px}
.kpi{border:1px solid #e6e8eb;border-radius:10px;padding:12px 14px}
.kpi h2{font-size:13px;font-weight:600;color:#4b5563;margin:0}
.kpi .big{font-size:28px;font-weight:700;margin:4px 0 2px;font-variant-numeric:tabular-nums}
.kpi p{margin:0;font-size:13px;color:#4b5563}
.kpi.billed{border-top:4px solid #0072b2}.kpi.equivalent{border-top:4px solid #6a3d9a}
.chart{display:block;max-width:none}
.chart .tick{font-size:11px;fill:#4b5563}.chart .tick.dim{fill:#9ca3af}
.chart .value{font-size:11px;fill:#1f2430;font-weight:600}
.legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
table{width:100%;border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:6px 8px;border-bottom:1px solid #eef0f2;text-align:right;white-space:nowrap}
th:first-child{text-align:left;font-weight:500;max-width:260px;overflow:hidden;text-overflow:ellipsis}
thead th{font-weight:600;color:#4b5563;border-bottom:2px solid #e6e8eb}
tfoot th,tfoot td{font-weight:700;border-top:2px solid #e6e8eb}
td.usd{min-width:150px}
.meter{display:inline-block;height:9px;border-radius:2px;margin-right:8px;vertical-align:0}
.meter.billed{background:#0072b2}.meter.equivalent{background:#6a3d9a}
.warn{color:#b45309;font-size:12px}
footer{margin-top:32px;font-size:12px;color:#6b7280}
footer li{margin:2px 0}
`;

/** The whole document. */
export function renderPage(input: PageInput): string {
  const { colors, fold } = seriesOf(input.byApp);
  const appTotal = (kind: 'billedUsd' | 'equivalentUsd') => (app: string) =>
    input.byApp.groups.filter((g) => fold(g.key) === app).reduce((a, g) => a + g[kind], 0);
  const t = input.byModel.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(input.title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${esc(input.title)}</h1><p class="dim">${esc(input.rangeLabel)} · ${esc(count(input.days.length))} days · generated ${esc(input.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</p></header>
${kpis(t)}
<section><h2>Billed API dollars per day, by app</h2>
${chart(input, 'billedUsd', 'Billed API dollars per day, stacked by app', colors, fold)}
${legend(colors, appTotal('billedUsd'))}</section>
<section><h2>Subscription work per day, at API prices (not billed), by app</h2>
${chart(input, 'equivalentUsd', 'Subscription work per day at API prices, stacked by app', colors, fold)}
${legend(colors, appTotal('equivalentUsd'))}</section>
${table('By model', 'model', input.byModel.groups, t)}
${table('By app', 'app', input.byApp.groups, input.byApp.totals)}
${table('Top call sites', 'call site', input.byCallSite.groups, input.byCallSite.totals, 12)}
<footer><p>Billed dollars are what the API charged. Subscription dollars are what the same tokens would have cost on the API; no money was charged for them, so the two are shown side by side and never added.</p>
<ul>${input.sources.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></footer>
</main></body></html>
`;
}
