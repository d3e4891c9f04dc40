/** Formatting for the HTML report: escaping, money, token counts, and the app palette. */

/** Escapes text for HTML content and attribute values (ledger values are data, never markup). */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Dollars for people: cents when it is at least a dollar, more digits below that, because a
 * Haiku call costs a fraction of a cent and "$0.00" next to 2,000 calls explains nothing.
 */
export function money(usd: number): string {
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : abs >= 0.0001 ? 5 : 7;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** Token counts: 12.3M, 45.6K, 789. */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}K`;
  return n.toLocaleString('en-US');
}

/** Whole numbers with separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Distinct colors, colour-blind-safe order first (Okabe-Ito), then a few more. */
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0c419',
  '#6a3d9a',
  '#1b9e77',
  '#b15928',
] as const;
/** Colour of the apps folded into "other" when there are more apps than colours. */
export const OTHER_COLOR = '#7f8c8d';
/** Colour of the stub drawn for a day with no spend (so every day has its bar). */
export const EMPTY_COLOR = '#d0d4da';
/** Colour of the chart's zero line. */
export const AXIS_COLOR = '#3b4252';
