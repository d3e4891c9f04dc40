/**
 * Checks and descriptions the package's entry points share: a Date option (a reader's `since`
 * and `until`, a budget check's `now`) and the code of a file-system error quoted in a message.
 */
import { optionError } from '../errors.ts';

/** The time of a Date option in ms; LedgerError EOPTION naming the option when it is not a valid Date. */
export function dateOption(option: string, value: unknown): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw optionError(option, value, 'a valid Date');
  return value.getTime();
}

/** As dateOption, for an option that may be left out (undefined stays undefined). */
export function optionalDateOption(option: string, value: unknown): number | undefined {
  return value === undefined ? undefined : dateOption(option, value);
}

/** A file-system error's code (`ENOENT`, `EACCES`) for a message, else the error as text. */
export function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? String(err);
}
