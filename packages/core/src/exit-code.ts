/**
 * The suite's exit codes and the one function that maps anything thrown to one. Every error
 * class of the suite carries an `exitCode` (set from its `code` where it is built: a
 * configuration code gives 78, a usage code 2, anything else 1), so a CLI's top-level catch
 * needs no knowledge of which package threw.
 */

/** Exit codes every command uses; 78 is EX_CONFIG from sysexits.h. */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2, config: 78 } as const);

/** One of the suite's exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const KNOWN: ReadonlySet<number> = new Set(Object.values(EXIT));

/**
 * The exit code for a thrown value: its own `exitCode` when that is one of the suite's codes,
 * else 1. A foreign error (a TypeError, a socket error) is a failure, never a silent 0.
 */
export function exitCodeOf(err: unknown): ExitCode {
  if (typeof err === 'object' && err !== null && 'exitCode' in err) {
    const code = (err as { exitCode: unknown }).exitCode;
    if (typeof code === 'number' && KNOWN.has(code) && code !== EXIT.ok) return code as ExitCode;
  }
  return EXIT.failure;
}

/**
 * The exit code an error class gives to its `code`: 78 for the codes listed as configuration,
 * 2 for usage codes, else 1. Error classes call it in their constructor.
 */
export function exitCodeFor(
  code: string,
  kinds: { readonly config?: ReadonlySet<string> | readonly string[]; readonly usage?: ReadonlySet<string> | readonly string[] },
): ExitCode {
  const has = (set: ReadonlySet<string> | readonly string[] | undefined) =>
    set !== undefined && (set instanceof Set ? set.has(code) : (set as readonly string[]).includes(code));
  if (has(kinds.config)) return EXIT.config;
  if (has(kinds.usage)) return EXIT.usage;
  return EXIT.failure;
}
