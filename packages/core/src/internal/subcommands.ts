/**
 * A command's `main` with subcommands (`cost report`, `mailbox login`, `farm run`): pick the
 * subcommand, run it, and turn whatever it throws into one line on stderr, an exit code and,
 * under `--json`, one JSON object on stdout. One dispatcher so that the apps' CLIs answer
 * alike and a fix (a redaction, an exit code) lands in all of them.
 */
import { exitCodeOf } from '../exit-code.ts';

/** A stream the dispatcher writes to. */
interface Out {
  write(chunk: string): unknown;
}

/** One subcommand: its arguments after its name and the app's deps; resolves to the exit code. */
export type Subcommand<D> = (argv: string[], deps: D) => Promise<number>;

/** What `dispatch` needs to know about the app. */
export interface Subcommands<D> {
  /** The command's name as typed (`cost`, `mailbox`, `farm`), in messages and the usage hint. */
  readonly name: string;
  /** The top-level help: printed on stdout for `help`/`--help`/`-h`, on stderr when no subcommand is given. */
  readonly help: string;
  /** The subcommands by name, or a loader that imports one when it is asked for (undefined: unknown). */
  readonly commands: Readonly<Record<string, Subcommand<D>>> | ((name: string) => Promise<Subcommand<D> | undefined>);
  /** Runs before the subcommand, inside the catch: the process settings' check (a malformed one throws, exit 78). */
  readonly before?: () => void;
  /** Redacts a failure's text before it is printed, on stderr and in the JSON. Called at failure time. */
  readonly redact?: (s: string) => string;
  /** The text of a failure that is not a usage error; default its message. */
  readonly describe?: (err: unknown) => string;
  /** What a failure line starts with; default `<name> <subcommand>`. */
  readonly label?: (subcommand: string) => string;
}

const HELP_WORDS: ReadonlySet<string> = new Set(['help', '--help', '-h']);

/**
 * Runs `argv`'s subcommand with `deps` and returns the exit code: 0 ok, 1 failure, 2 usage (no
 * or an unknown subcommand, a bad option), 78 configuration; an error's own `exitCode` decides.
 */
export async function dispatch<D extends { readonly stdout: Out; readonly stderr: Out }>(
  argv: readonly string[],
  deps: D,
  app: Subcommands<D>,
): Promise<number> {
  const [name, ...rest] = argv;
  const help = app.help.endsWith('\n') ? app.help : `${app.help}\n`;
  if (name === undefined || HELP_WORDS.has(name)) {
    (name === undefined ? deps.stderr : deps.stdout).write(help);
    return name === undefined ? 2 : 0;
  }
  const run = await find(app.commands, name);
  if (run === undefined) {
    deps.stderr.write(`${app.name}: unknown command ${JSON.stringify(name)}\n\n${help}`);
    return 2;
  }
  try {
    app.before?.();
    return await run(rest, deps);
  } catch (err) {
    const redact = app.redact ?? ((s: string) => s);
    const usage = isParseArgsError(err);
    const code = usage ? 2 : exitCodeOf(err);
    const text = usage || app.describe === undefined ? messageOf(err) : app.describe(err);
    const hint = code === 2 ? `\nRun "pnpm ${app.name} ${name} --help" for usage.` : '';
    deps.stderr.write(`${app.label?.(name) ?? `${app.name} ${name}`}: ${redact(text)}${hint}\n`);
    if (rest.includes('--json')) deps.stdout.write(failureJson(err, code, redact));
    return code;
  }
}

/** The subcommand called `name`; a name the object only inherits (`toString`, `__proto__`) is none. */
async function find<D>(commands: Subcommands<D>['commands'], name: string): Promise<Subcommand<D> | undefined> {
  if (typeof commands === 'function') return commands(name);
  return Object.hasOwn(commands, name) ? commands[name] : undefined;
}

/** node:util parseArgs' own errors (an unknown option, a missing value) are usage errors. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A failure as the one JSON object a command prints on stdout under `--json`, so a script that
 * reads stdout learns why it got nothing else: `{ ok: false, error: { code, message, exitCode } }`.
 * `redact` is the loaded scope's redactor where there is one.
 */
export function failureJson(err: unknown, exitCode: number, redact: (s: string) => string = (s) => s): string {
  const raw = (err as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : 'EUNEXPECTED';
  return `${JSON.stringify({ ok: false, error: { code, message: redact(messageOf(err)), exitCode } })}\n`;
}
