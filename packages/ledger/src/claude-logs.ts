/**
 * Claude Code's own session logs as ledger rows: what subscription work would have cost on the
 * API, so a report can show both billing paths in one picture.
 *
 * The logs repeat themselves: Claude Code writes one line per content block of a streamed reply
 * (each carrying the whole message's usage), and a resumed session copies earlier messages into
 * its new file. Counting lines instead of API responses makes totals come out several times too
 * high, so a message is counted once by `message.id` + `requestId`, across every file read.
 *
 * A farm or jobs CLI run under the same HOME is in both the ledger and these logs: its ledger row
 * lists the message ids it covers (`message_ids`), and the caller passes the ledger's ids as
 * `inLedger`, so such a message is skipped here (counted in `stats.inLedger`), not counted twice.
 *
 * Pricing is an input: this package depends on nothing of ours, so the caller passes a price
 * function (the CLI wraps @jobs/claude's `costOf`).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { LedgerError, optionError } from './errors.ts';
import { better, type ClaudeLogMessage, type ClaudeUsage, parseClaudeLogLine } from './internal/claude-log-line.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { errnoOf, optionalDateOption } from './internal/checks.ts';
import { isLogger } from './internal/is-logger.ts';
import { walkFiles } from './internal/walk.ts';
import type { LedgerRow } from './row.ts';

export type { ClaudeUsage } from './internal/claude-log-line.ts';
export type { Logger } from '@jobs/core/logger';

/** Prices one message: dollars, or `null` when the model is not in the caller's table (never 0). */
export type PriceFn = (model: string, usage: ClaudeUsage) => number | null;

/** Options of {@link readClaudeLogs}. */
export interface ClaudeLogOptions {
  /** Prices a message's usage on the API (e.g. `(m, u) => costOf(m, u).usd` from @jobs/claude/pricing). */
  price: PriceFn;
  /** Only messages at or after this instant (files not modified since are not opened). */
  since?: Date | undefined;
  /** Only messages strictly before this instant. */
  until?: Date | undefined;
  /** The `app` of the rows. Default `'claude-code'`. */
  app?: string | undefined;
  /** The `host` of the rows. Default: this machine's host name. */
  host?: string | undefined;
  /** Receives a warning per unreadable file, invalid line, or pricing failure. Default: no-op. */
  logger?: Logger | undefined;
  /** Message ids the ledger already counts (its rows' `message_ids`): skipped here. */
  inLedger?: ReadonlySet<string> | undefined;
}

/** Counts kept while reading; final once iteration has ended. */
export interface ClaudeLogStats {
  /** `.jsonl` files read. */
  files: number;
  /** Files left unopened because they were last written before `since`. */
  filesSkipped: number;
  /** Assistant lines with usage seen (repeats included). */
  lines: number;
  /** Distinct API responses (rows yielded + filtered out by since/until + already in the ledger). */
  messages: number;
  /** Lines that repeated a message already seen. */
  duplicates: number;
  /** Lines that looked like assistant messages but could not be used (each warned about). */
  invalid: number;
  /** Messages outside since/until. */
  filtered: number;
  /** Messages skipped because a ledger row already counts them (`inLedger`). */
  inLedger: number;
  /** Rows yielded. */
  rows: number;
}

/** The rows priced from Claude Code session logs, with counts. */
export interface ClaudeLogReader extends AsyncIterable<LedgerRow> {
  readonly stats: ClaudeLogStats;
}

/**
 * Reads every `*.jsonl` under `dir` (default location: `~/.claude/projects`, subagent files in
 * session sub-folders included) and yields one `path: 'subscription'` row per distinct API
 * response, in time order. Row fields: `run_id` the session id, `job` the project (last part of
 * the session's working directory), `call_site` `'main'` or `'subagent'`, `usd` from `price`.
 * A missing `dir` yields no rows. Memory grows with the number of distinct messages in range.
 * @throws LedgerError `EOPTION` for bad options (at call time).
 */
export function readClaudeLogs(dir: string, options: ClaudeLogOptions): ClaudeLogReader {
  if (typeof dir !== 'string' || dir === '') throw optionError('dir', dir, 'a directory path');
  if (typeof options?.price !== 'function') throw optionError('price', options?.price, 'a function (model, usage) => usd | null');
  if (options.logger !== undefined && !isLogger(options.logger)) {
    throw optionError('logger', options.logger, 'an object with debug, info, warn and error methods');
  }
  const since = optionalDateOption('since', options.since) ?? -Infinity;
  const until = optionalDateOption('until', options.until) ?? Infinity;
  const logger = options.logger ?? noopLogger;
  const app = options.app ?? 'claude-code';
  const host = options.host ?? hostname();
  const stats: ClaudeLogStats = { files: 0, filesSkipped: 0, lines: 0, messages: 0, duplicates: 0, invalid: 0, filtered: 0, inLedger: 0, rows: 0 };

  async function* rows(): AsyncGenerator<LedgerRow> {
    const found = new Map<string, { message: ClaudeLogMessage; project: string }>();
    for await (const file of walkFiles(dir, {}, (path, err) => logger.warn({ path, err }, 'could not list a Claude Code log folder'))) {
      if (!file.endsWith('.jsonl')) continue;
      if (since > -Infinity && (await modifiedBefore(file, since))) {
        stats.filesSkipped += 1;
        continue;
      }
      stats.files += 1;
      await readFile(file, found);
    }
    const list = [...found.values()].sort((a, b) => Date.parse(a.message.ts) - Date.parse(b.message.ts));
    stats.messages = list.length;
    for (const { message, project } of list) {
      const t = Date.parse(message.ts);
      if (t < since || t >= until) {
        stats.filtered += 1;
        continue;
      }
      if (message.messageId !== null && options.inLedger?.has(message.messageId)) {
        stats.inLedger += 1;
        continue;
      }
      stats.rows += 1;
      yield toRow(message, project);
    }
  }

  async function readFile(file: string, found: Map<string, { message: ClaudeLogMessage; project: string }>): Promise<void> {
    // The project folder is the first level under dir (subagent logs sit deeper, in the session's folder).
    const project = relative(dir, file).split(/[\\/]/)[0] ?? basename(dirname(file));
    const input = createReadStream(file, { encoding: 'utf8' });
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    try {
      for await (const line of lines) {
        n += 1;
        const verdict = parseClaudeLogLine(line, `${file}#${n}`);
        if ('ignored' in verdict) continue;
        if ('invalid' in verdict) {
          stats.invalid += 1;
          logger.warn({ path: file, line: n, problem: verdict.invalid }, 'skipped a Claude Code log line');
          continue;
        }
        stats.lines += 1;
        const seen = found.get(verdict.message.key);
        if (seen === undefined) {
          found.set(verdict.message.key, { message: verdict.message, project });
        } else {
          stats.duplicates += 1;
          seen.message = better(seen.message, verdict.message);
        }
      }
    } catch (cause) {
      throw new LedgerError('EREAD', `Could not read the Claude Code log ${file}: ${errnoOf(cause)}.`, { path: file, cause });
    } finally {
      lines.close();
      input.destroy();
    }
  }

  function toRow(m: ClaudeLogMessage, project: string): LedgerRow {
    return {
      ts: m.ts,
      run_id: m.sessionId ?? project,
      app,
      job: m.cwd === null ? project : basename(m.cwd) || m.cwd,
      call_site: m.sidechain ? 'subagent' : 'main',
      path: 'subscription',
      host,
      model: m.model,
      input_tokens: m.usage.input_tokens,
      output_tokens: m.usage.output_tokens,
      cache_creation_input_tokens: m.usage.cache_creation_input_tokens,
      cache_read_input_tokens: m.usage.cache_read_input_tokens,
      usd: priceOf(m),
      latency_ms: 0,
      attempts: 1,
      outcome: 'ok',
      request_id: m.requestId,
    };
  }

  function priceOf(m: ClaudeLogMessage): number | null {
    let usd: number | null;
    try {
      usd = options.price(m.model, m.usage);
    } catch (err) {
      logger.warn({ model: m.model, err }, 'pricing a Claude Code message failed: cost recorded as unknown');
      return null;
    }
    if (usd === null) return null;
    if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) {
      logger.warn({ model: m.model, usd }, 'the price function returned no valid amount: cost recorded as unknown');
      return null;
    }
    return usd;
  }

  return Object.assign(rows(), { stats }) as ClaudeLogReader;
}

async function modifiedBefore(file: string, since: number): Promise<boolean> {
  try {
    return (await stat(file)).mtimeMs < since;
  } catch {
    return false; // let the read report it
  }
}
