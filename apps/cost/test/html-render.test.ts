// Covers the --html page in a real browser: headless Chromium renders it and takes a screenshot
// (kept in test-artifacts/ for people to look at); reading the pixels, each of the two charts has
// exactly one bar per day in the range, days without spend drawn as grey stubs, the others coloured.
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodePng, type Image } from './png.ts';
import { row, run, tempDir, testDeps, writeLedger } from './helpers.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
const AXIS: [number, number, number] = [0x3b, 0x42, 0x52]; // AXIS_COLOR of the page
const STUB: [number, number, number] = [0xd0, 0xd4, 0xda]; // EMPTY_COLOR of the page
const near = (p: number[], q: number[]) => p.every((v, i) => Math.abs(v - (q[i] ?? 0)) <= 6);
const white = (p: number[]) => p.every((v) => v >= 248);

/** Rows whose longest run of the axis colour is at least `min` px: each chart's zero line. */
function axisRows(img: Image, min: number): Array<{ y: number; x0: number; x1: number }> {
  const found: Array<{ y: number; x0: number; x1: number }> = [];
  for (let y = 0; y < img.height; y++) {
    let start = -1;
    for (let x = 0; x <= img.width; x++) {
      const on = x < img.width && near(img.pixel(x, y), AXIS);
      if (on && start === -1) start = x;
      if (!on && start !== -1) {
        if (x - start >= min && !found.some((f) => Math.abs(f.y - y) <= 2)) found.push({ y, x0: start, x1: x });
        start = -1;
      }
    }
  }
  return found;
}

/** Runs of non-white pixels on row `y` between x0 and x1, with their middle pixel's colour. */
function bars(img: Image, y: number, x0: number, x1: number): Array<{ width: number; color: [number, number, number] }> {
  const out: Array<{ width: number; color: [number, number, number] }> = [];
  let start = -1;
  for (let x = x0; x <= x1; x++) {
    const on = x < x1 && !white(img.pixel(x, y));
    if (on && start === -1) start = x;
    if (!on && start !== -1) {
      if (x - start >= 3) out.push({ width: x - start, color: img.pixel(Math.floor((start + x) / 2), y) });
      start = -1;
    }
  }
  return out;
}

describe('cost report --html in headless Chromium', () => {
  it('renders one bar per day in the range in both charts', { timeout: 90_000 }, async () => {
    const home = await tempDir();
    const ledger = join(home, 'ledger.jsonl');
    // 14 days; billed spend on every day but 11-14 and 11-19; subscription work on three days.
    const rows = [];
    for (let d = 10; d <= 23; d++) {
      if (d === 14 || d === 19) continue;
      rows.push(row({ ts: `2026-11-${d}T08:00:00.000Z`, app: 'digest', usd: 0.05 + d / 1000 }));
      rows.push(row({ ts: `2026-11-${d}T18:00:00.000Z`, app: 'lead-responder', usd: 0.02 + (d % 3) / 100 }));
      if (d % 2 === 0) rows.push(row({ ts: `2026-11-${d}T20:00:00.000Z`, app: 'farm', path: 'remote', usd: 0.03 }));
    }
    for (const d of [11, 16, 22]) rows.push(row({ ts: `2026-11-${d}T12:00:00.000Z`, app: 'claude-code', path: 'subscription', usd: 1.5 }));
    await writeLedger(ledger, rows);
    await mkdir(ARTIFACTS, { recursive: true });
    const html = join(ARTIFACTS, 'cost-report.html');
    const png = join(ARTIFACTS, 'cost-report.png');
    const deps = testDeps(home);
    const res = await run(['report', '--since', '2026-11-10', '--until', '2026-11-24', '--ledger', ledger, '--no-claude-logs', '--html', html], deps);
    expect(res.code).toBe(0);

    await promisify(execFile)(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${join(home, 'chromium')}`,
        '--window-size=1100,1500',
        `--screenshot=${png}`,
        `file://${html}`,
      ],
      { timeout: 60_000 },
    ).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new Error('chromium is not installed (Debian package `chromium`; .ci/run installs it)');
      throw err;
    });
    expect((await stat(png)).size).toBeGreaterThan(10_000);
    const img = decodePng(await readFile(png));
    expect(img.width).toBe(1100);

    const axes = axisRows(img, 600);
    expect(axes).toHaveLength(2); // billed chart, then subscription chart
    const empty = { billed: [4, 9], equivalent: [0, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13] };
    for (const [i, axis] of axes.entries()) {
      const found = bars(img, axis.y - 1, axis.x0, axis.x1);
      expect(found, `chart ${i}`).toHaveLength(14);
      const widths = new Set(found.map((b) => b.width));
      expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
      const stubs = found.flatMap((b, k) => (near(b.color, STUB) ? [k] : []));
      expect(stubs).toEqual(i === 0 ? empty.billed : empty.equivalent);
    }
  });
});
