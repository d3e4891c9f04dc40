/**
 * Reading the cost ledger as a stream (a ledger grows without bound; never load it whole).
 * A bad line is skipped with a warning and counted, never fatal: the last line may be torn by a
 * crash mid-write, and a report that refuses to run over one bad byte helps nobody.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { LedgerError, optionError } from './errors.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { errnoOf, optionalDateOption } from './internal/checks.ts';
import { isLogger } from './internal/is-logger.ts';
import { type LedgerRow, parseRow } from './row.ts';

export type { Logger } from '@jobs/core/logger';

/** Options of {@link readLedger}. */
export interface ReadOptions {
  /** Receives `warn({ line, path, code, field? })` for each skipped line. Default: no-op. */
  logger?: Logger | undefined;
  /** Only rows with `ts` at or after this instant. */
  since?: Date | undefined;
  /** Only rows with `ts` strictly before this instant. */
  until?: Date | undefined;
}

/** Counts kept while reading; final once iteration has ended. */
export interface ReadStats {
  /** Rows yielded. */
  rows: number;
  /** Lines skipped as torn or invalid (each one warned about). */
  skipped: number;
  /** Valid rows left out by `since` / `until`. */
  filtered: number;
}

/** The rows of a ledger, streamed, with counts of what was skipped. */
export interface LedgerReader extends AsyncIterable<LedgerRow> {
  readonly stats: ReadStats;
}

// Rows we write start with this (contract order puts ts first). After a crash mid-write the next
// row is glued behind the torn fragment on one line; it is found again by its start. Inside a
// JSON string a quote is escaped, so this sequence can only be the start of an object.
const ROW_START = '{"ts":';

/**
 * Streams the rows of the ledger at `path`, in file order. A missing file yields no rows.
 * Blank lines are skipped silently; torn or invalid lines are skipped, warned and counted.
 * @throws LedgerError `EOPTION` for bad options (at call time), `EREAD` when the file exists but
 *   cannot be read (during iteration).
 */
export function readLedger(path: string, options: ReadOptions = {}): LedgerReader {
  if (typeof path !== 'string' || path === '') throw optionError('path', path, 'a ledger file path');
  if (options.logger !== undefined && !isLogger(options.logger)) {
    throw optionError('logger', options.logger, 'an object with debug, info, warn and error methods');
  }
  const since = optionalDateOption('since', options.since) ?? -Infinity;
  const until = optionalDateOption('until', options.until) ?? Infinity;
  const logger = options.logger ?? noopLogger;
  const stats: ReadStats = { rows: 0, skipped: 0, filtered: 0 };

  async function* rows(): AsyncGenerator<LedgerRow> {
    const fh = await openForRead(path);
    if (fh === undefined) return;
    // The stream owns the handle from here (autoClose): destroying it closes the file.
    // Lines are split by hand: readline's async iterator costs more than parsing the rows.
    const input = fh.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 16 });
    let n = 0;
    let rest = '';
    function* rowsOf(text: string, final: boolean): Generator<LedgerRow> {
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl === -1 && !final) break;
        const end = nl === -1 ? text.length : nl;
        const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
        start = end + 1;
        n += 1;
        if (line.trim() !== '') {
          const row = parseLine(line, n);
          if (row !== undefined) {
            const t = Date.parse(row.ts);
            if (t < since || t >= until) stats.filtered += 1;
            else {
              stats.rows += 1;
              yield row;
            }
          }
        }
        if (nl === -1) break;
      }
      rest = final ? '' : text.slice(start);
    }
    try {
      for await (const chunk of input) yield* rowsOf(rest + (chunk as string), false);
      if (rest !== '') yield* rowsOf(rest, true);
    } catch (cause) {
      if (cause instanceof LedgerError) throw cause;
      throw new LedgerError('EREAD', `Could not read the cost ledger at ${path}: ${errnoOf(cause)}.`, { path, cause });
    } finally {
      // Also reached when the consumer stops early (break): release the file before returning.
      // Breaking out of the chunk loop already destroys the stream; wait for its close either way
      // (an 'error' from that destroy is no failure of ours: the consumer stopped).
      if (!input.closed) {
        await new Promise<void>((done) => {
          input.once('close', () => done());
          input.destroy();
        });
      }
    }
  }

  function parseLine(line: string, n: number): LedgerRow | undefined {
    try {
      return parseRow(line);
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      stats.skipped += 1;
      logger.warn(
        { line: n, path, code: err.code, ...(err.field === undefined ? {} : { field: err.field }) },
        'skipped a torn or invalid cost ledger line',
      );
      const at = line.lastIndexOf(ROW_START);
      if (at <= 0) return undefined;
      try {
        return parseRow(line.slice(at));
      } catch {
        return undefined; // already warned about this line
      }
    }
  }

  const generator = rows();
  return Object.assign(generator, { stats }) as LedgerReader;
}

async function openForRead(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LedgerError('EREAD', `Could not open the cost ledger at ${path}: ${errnoOf(cause)}.`, { path, cause });
  }
}
