/**
 * What every command's `cli.ts` does before it loads anything heavy: take its arguments off
 * the process's argv, and answer `--version` and a bare `--help` from small modules, so that
 * those answers (and a scheduled run's first line) do not wait for the SDK, the mail parser
 * and the rest to load. A command's `main` is imported only after this says no; it hands its
 * subcommands to `dispatch` (internal/subcommands.ts), which also prints a failure under --json.
 */
import { readFileSync } from 'node:fs';

export { dispatch, failureJson, type Subcommand, type Subcommands } from './internal/subcommands.ts';

/**
 * The command's arguments. Scripts run `node cli.ts -- ARGS`: Node reads an `--env-file`
 * anywhere in its argv before the script as its own option (a missing file exits 9 before our
 * code runs), and the `--` keeps our `--env-file` ours. The `--` itself is dropped here.
 */
export function cliArgs(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

/** What answerEarly needs to know about the command. */
export interface EarlyAnswers {
  /** The command's name, as printed by --version (`digest`, `farm`). */
  readonly name: string;
  /** The app's package.json, whose `version` --version prints. */
  readonly packageJson: URL;
  /** Loads the top-level help text (a module with no heavy imports). */
  readonly help: () => Promise<string>;
}

/**
 * Answers `--version` (anywhere before a lone `--`) and a lone `--help`/`-h` on `out`.
 * Returns the exit code when it answered, undefined when the command must run.
 */
export async function answerEarly(
  args: readonly string[],
  answers: EarlyAnswers,
  out: { write(s: string): unknown },
): Promise<number | undefined> {
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  if (own.includes('--version')) {
    const { version } = JSON.parse(readFileSync(answers.packageJson, 'utf8')) as { version?: string };
    out.write(`${answers.name} ${version ?? 'unknown'}\n`);
    return 0;
  }
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    const text = await answers.help();
    out.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  return undefined;
}
