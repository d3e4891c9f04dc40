/**
 * `cost report`: streams the ledger (and Claude Code's session logs) once, into the summary
 * asked for and, with --html, into the page's collectors at the same time.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readClaudeLogs } from '@jobs/ledger/claude-logs';
import { createHtmlReport } from '@jobs/ledger/html';
import { readLedger } from '@jobs/ledger/read';
import { createSummarizer, GROUP_BY, type GroupBy, type Summary } from '@jobs/ledger/report';
import { type Deps, ledgerPathOf, loggerFor, pathArg } from './deps.ts';
import { usageError } from './errors.ts';
import { REPORT_HELP } from './help.ts';
import { apiPrice } from './pricing.ts';
import { renderTable } from './table.ts';
import { checkZone, parseWhen } from './time.ts';

/** What `cost report --json` prints. */
export interface ReportOutput {
  since: string;
  until: string;
  timeZone: string;
  by: GroupBy;
  ledger: { path: string; rows: number; skipped: number };
  claudeLogs: { dir: string; files: number; messages: number; duplicates: number; inLedger: number; rows: number } | null;
  html: string | null;
  groups: Summary['groups'];
  totals: Summary['totals'];
}

/** Runs `cost report`; returns the exit code. */
export async function runReport(argv: string[], deps: Deps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      by: { type: 'string' },
      tz: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      ledger: { type: 'string' },
      'claude-logs': { type: 'string' },
      'no-claude-logs': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    deps.stdout.write(REPORT_HELP);
    return 0;
  }
  const now = deps.now();
  const timeZone = checkZone('--tz', values.tz ?? deps.localTimeZone);
  const by = (values.by ?? 'app') as GroupBy;
  if (!GROUP_BY.includes(by)) throw usageError('--by', values.by, GROUP_BY.join(' | '));
  const since = parseWhen('--since', values.since ?? '7d', now, timeZone);
  const until = values.until === undefined ? now : parseWhen('--until', values.until, now, timeZone);
  if (until.getTime() <= since.getTime()) throw usageError('--until', values.until ?? 'now', `a time after --since (${since.toISOString()})`);
  if (values['claude-logs'] !== undefined && values['no-claude-logs']) {
    throw usageError('--claude-logs', values['claude-logs'], 'not together with --no-claude-logs');
  }

  const logger = loggerFor(deps, values.verbose ?? false);
  const ledgerPath = ledgerPathOf(deps, values.ledger);
  const summary = createSummarizer({ by, timeZone });
  const page = values.html === undefined ? undefined : createHtmlReport({ since, until, timeZone });
  const add = (row: Parameters<typeof summary.add>[0]) => {
    summary.add(row);
    page?.add(row);
  };

  const ledger = readLedger(ledgerPath, { since, until, logger });
  // Responses a CLI run's row already counts; Claude Code logged them too under the same HOME.
  const inLedger = new Set<string>();
  for await (const row of ledger) {
    add(row);
    for (const id of row.message_ids ?? []) inLedger.add(id);
  }

  let claudeLogs: ReportOutput['claudeLogs'] = null;
  if (!values['no-claude-logs']) {
    const dir = pathArg(deps, values['claude-logs'] ?? join(deps.home, '.claude', 'projects'));
    const logs = readClaudeLogs(dir, { price: apiPrice(logger), since, until, logger, host: deps.hostname, inLedger });
    for await (const row of logs) add(row);
    const s = logs.stats;
    claudeLogs = { dir, files: s.files, messages: s.messages, duplicates: s.duplicates, inLedger: s.inLedger, rows: s.rows };
  }

  let htmlPath: string | null = null;
  if (page !== undefined && values.html !== undefined) {
    htmlPath = pathArg(deps, values.html);
    const sources = [
      `Ledger ${ledgerPath}: ${ledger.stats.rows} rows in range${ledger.stats.skipped > 0 ? `, ${ledger.stats.skipped} unreadable lines skipped` : ''}.`,
      claudeLogs === null
        ? 'Claude Code session logs not read.'
        : `Claude Code logs ${claudeLogs.dir}: ${claudeLogs.rows} messages in range from ${claudeLogs.files} files (${claudeLogs.duplicates} repeated lines counted once, ${claudeLogs.inLedger} already in the ledger), priced with the API table.`,
    ];
    await writeFile(htmlPath, page.render({ generatedAt: now, sources }));
  }

  const result = summary.result();
  if (values.json) {
    const out: ReportOutput = {
      since: since.toISOString(),
      until: until.toISOString(),
      timeZone,
      by,
      ledger: { path: ledgerPath, rows: ledger.stats.rows, skipped: ledger.stats.skipped },
      claudeLogs,
      html: htmlPath,
      groups: result.groups,
      totals: result.totals,
    };
    deps.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const range = `${since.toISOString().slice(0, 16).replace('T', ' ')} – ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  deps.stdout.write(renderTable(result, `Claude spend by ${by}, ${range}`));
  if (ledger.stats.skipped > 0) deps.stdout.write(`${ledger.stats.skipped} unreadable ledger lines skipped (see stderr).\n`);
  if (claudeLogs !== null && (claudeLogs.duplicates > 0 || claudeLogs.inLedger > 0)) {
    deps.stdout.write(
      `Claude Code logs: ${claudeLogs.rows} messages; ${claudeLogs.duplicates} repeated lines counted once; ${claudeLogs.inLedger} already in the ledger.\n`,
    );
  }
  if (htmlPath !== null) deps.stdout.write(`HTML report: ${htmlPath}\n`);
  return 0;
}
