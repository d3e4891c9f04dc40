/**
 * The stacked bar chart of the HTML report, as inline SVG (no script, no network): one bar per
 * calendar day in the range, stacked by app. A day without spend still gets a small grey stub,
 * so the number of bars always equals the number of days and a gap means something.
 */
import { AXIS_COLOR, EMPTY_COLOR, esc, money } from './format.ts';

/** One day's values per series. */
export interface ChartDay {
  day: string;
  values: ReadonlyMap<string, number>;
}

/** Chart input: days in order, series (apps) bottom first, each with its colour. */
export interface ChartInput {
  /** Machine-readable name of the chart, set as `data-chart`. */
  id: string;
  /** Accessible title. */
  label: string;
  days: readonly ChartDay[];
  series: ReadonlyArray<{ name: string; color: string }>;
}

const WIDTH = 960;
const HEIGHT = 280;
const LEFT = 72;
const RIGHT = 16;
const TOP = 28;
const BOTTOM = 44;

/** A "nice" upper bound for the axis (1, 2, 2.5 or 5 times a power of ten). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= max) return m * pow;
  return 10 * pow;
}

/** The chart as an `<svg>` element string. */
export function renderStackedBars(input: ChartInput): string {
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const base = TOP + plotH; // y of the zero line (pixel row)
  const n = Math.max(1, input.days.length);
  const slot = plotW / n;
  const barW = Math.max(1, Math.floor(slot * 0.72));
  const totals = input.days.map((d) => [...d.values.values()].reduce((a, b) => a + b, 0));
  const top = niceMax(Math.max(0, ...totals));
  const px = (usd: number) => Math.round((usd / top) * plotH);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${esc(input.id)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(input.label)}">`,
  );
  // Grid lines and labels: four steps above zero.
  for (let i = 1; i <= 4; i++) {
    const v = (top * i) / 4;
    const y = base - px(v) + 0.5;
    out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="#e6e8eb" shape-rendering="crispEdges"/>`);
    out.push(`<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" class="tick">${esc(money(v))}</text>`);
  }
  out.push(`<text x="${LEFT - 8}" y="${base + 4}" text-anchor="end" class="tick">$0</text>`);

  const labelEvery = Math.ceil(n / 16);
  input.days.forEach((d, i) => {
    const x = Math.round(LEFT + i * slot + (slot - barW) / 2);
    const total = totals[i] ?? 0;
    out.push(`<g class="day" data-day="${esc(d.day)}" data-total="${total}">`);
    out.push(`<title>${esc(d.day)}: ${esc(money(total))}</title>`);
    if (total <= 0) {
      out.push(`<rect class="bar empty" x="${x}" y="${base - 2}" width="${barW}" height="2" fill="${EMPTY_COLOR}" shape-rendering="crispEdges"/>`);
    } else {
      // Stack from the cumulative sums, rounded once each, so segments meet without gaps.
      // A bar is at least 2 px tall so a small day is still seen.
      let cum = 0;
      let prevY = base;
      const visible = input.series.filter((s) => (d.values.get(s.name) ?? 0) > 0);
      visible.forEach((s, k) => {
        const v = d.values.get(s.name) ?? 0;
        cum += v;
        let y = base - px(cum);
        if (k === visible.length - 1) y = Math.min(y, base - 2);
        if (y >= prevY) return;
        out.push(
          `<rect class="bar" data-series="${esc(s.name)}" x="${x}" y="${y}" width="${barW}" height="${prevY - y}" fill="${s.color}" shape-rendering="crispEdges"><title>${esc(d.day)} · ${esc(s.name)}: ${esc(money(v))}</title></rect>`,
        );
        prevY = y;
      });
      if (n <= 31) {
        out.push(`<text x="${x + barW / 2}" y="${prevY - 6}" text-anchor="middle" class="value">${esc(money(total))}</text>`);
      }
    }
    if (i % labelEvery === 0) {
      const weekday = new Date(`${d.day}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });
      out.push(`<text x="${x + barW / 2}" y="${base + 18}" text-anchor="middle" class="tick">${esc(d.day.slice(5))}</text>`);
      out.push(`<text x="${x + barW / 2}" y="${base + 33}" text-anchor="middle" class="tick dim">${esc(weekday)}</text>`);
    }
    out.push('</g>');
  });
  // The zero line last, over the bars' bottom edge.
  out.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base + 0.5}" y2="${base + 0.5}" stroke="${AXIS_COLOR}" shape-rendering="crispEdges"/>`);
  out.push('</svg>');
  return out.join('');
}
