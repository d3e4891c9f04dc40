// Covers the HTML report: one bar group per calendar day of the range in each chart (empty days
// as stubs), stacked segments adding up to the day's total, both billing paths apart, values
// escaped, nothing fetched from the network, days across a DST change, bad ranges refused.
import { describe, expect, it } from 'vitest';
import { createHtmlReport, daysInRange } from '../src/html.ts';
import { row } from './helpers.ts';

const SINCE = new Date('2026-11-10T00:00:00Z');
const UNTIL = new Date('2026-11-17T00:00:00Z');

function chartOf(html: string, id: string): string {
  const m = html.match(new RegExp(`<svg[^>]*data-chart="${id}"[\\s\\S]*?</svg>`));
  if (m === null) throw new Error(`no chart ${id}`);
  return m[0];
}

describe('createHtmlReport', () => {
  it('draws one bar per day in each chart, stacked by app, with billed and equivalent dollars apart', () => {
    const report = createHtmlReport({ since: SINCE, until: UNTIL });
    expect(report.days).toEqual(['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16']);
    report.add(row({ ts: '2026-11-10T08:00:00Z', app: 'digest', usd: 0.25 }));
    report.add(row({ ts: '2026-11-10T09:00:00Z', app: 'farm', usd: 0.5, path: 'remote' }));
    report.add(row({ ts: '2026-11-12T09:00:00Z', app: 'digest', usd: 0.125 }));
    report.add(row({ ts: '2026-11-12T10:00:00Z', app: 'claude-code', usd: 3, path: 'subscription' }));
    report.add(row({ ts: '2026-11-09T23:59:59Z', app: 'digest', usd: 100 })); // before the range
    report.add(row({ ts: '2026-11-17T00:00:00Z', app: 'digest', usd: 100 })); // at until: outside
    const html = report.render({ generatedAt: new Date('2026-11-17T06:00:00Z'), sources: ['ledger <test>'] });

    const billed = chartOf(html, 'billed');
    const days = [...billed.matchAll(/<g class="day" data-day="([^"]+)" data-total="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(days).toEqual([
      ['2026-11-10', 0.75],
      ['2026-11-11', 0],
      ['2026-11-12', 0.125],
      ['2026-11-13', 0],
      ['2026-11-14', 0],
      ['2026-11-15', 0],
      ['2026-11-16', 0],
    ]);
    expect(billed.match(/class="bar empty"/g)).toHaveLength(5);
    expect(billed.match(/data-series="farm"/g)).toHaveLength(1);
    expect(billed).not.toContain('data-series="claude-code"');
    const equivalent = chartOf(html, 'equivalent');
    expect(equivalent.match(/<g class="day"/g)).toHaveLength(7);
    expect(equivalent).toContain('data-day="2026-11-12" data-total="3"');
    // Segments of a day meet exactly and add up to the bar.
    const segs = [...billed.matchAll(/<g class="day" data-day="2026-11-10"[\s\S]*?<\/g>/g)][0]![0];
    const rects = [...segs.matchAll(/y="(\d+)" width="\d+" height="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(rects).toHaveLength(2);
    expect(rects[0]?.[0]).toBe((rects[1]?.[0] ?? 0) + (rects[1]?.[1] ?? 0)); // second segment sits on the first
    // Headline figures: never added together.
    expect(html).toContain('<p class="big">$0.875</p>');
    expect(html).toContain('<p class="big">$3.00</p>');
    expect(html).not.toContain('$3.875');
    expect(html).toContain('ledger &#60;test&#62;');
  });

  it('is self-contained and escapes ledger values', () => {
    const report = createHtmlReport({ since: SINCE, until: UNTIL });
    report.add(row({ ts: '2026-11-11T08:00:00Z', app: '<img src=x onerror=alert(1)>', call_site: '"><script>x</script>', usd: 1 }));
    const html = report.render();
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)\b/i);
    // No attribute that would fetch anything (quoted values blanked first: they hold escaped data).
    expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('marks unpriced calls instead of counting them as zero', () => {
    const report = createHtmlReport({ since: SINCE, until: UNTIL });
    report.add(row({ ts: '2026-11-11T08:00:00Z', usd: null, model: 'mystery' }));
    expect(report.render()).toContain('+1 unpriced');
  });
});

describe('daysInRange', () => {
  it('walks calendar days in the zone, across a DST change', () => {
    // Europe/Paris leaves summer time on 2026-10-25: that day has 25 hours.
    const days = daysInRange(new Date('2026-10-23T22:00:00Z'), new Date('2026-10-27T23:00:00Z'), 'Europe/Paris');
    expect(days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    expect(daysInRange(new Date('2026-11-10T05:00:00Z'), new Date('2026-11-10T06:00:00Z'))).toEqual(['2026-11-10']);
  });

  it('refuses an empty or reversed range', () => {
    expect(() => daysInRange(UNTIL, SINCE)).toThrow(expect.objectContaining({ code: 'EOPTION', option: 'until' }));
    expect(() => createHtmlReport({ since: SINCE, until: SINCE })).toThrow(/until/);
  });
});
