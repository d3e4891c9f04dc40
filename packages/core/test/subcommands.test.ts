// Covers dispatch, the subcommand runner every app's `main` uses: help and unknown commands,
// exit codes from what a subcommand throws (parseArgs errors are usage), the failure line and
// its redaction, the JSON failure under --json, and names an object only inherits.
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dispatch, type Subcommand } from '../src/cli.ts';

interface Deps {
  stdout: { text: string; write(s: string): boolean };
  stderr: { text: string; write(s: string): boolean };
}

function deps(): Deps {
  const out = () => ({ text: '', write(s: string) { this.text += s; return true; } });
  return { stdout: out(), stderr: out() };
}

const HELP = 'Usage: pnpm demo <command>';
const ok: Subcommand<Deps> = async (argv, d) => {
  d.stdout.write(`ran ${argv.join(' ')}\n`);
  return 0;
};
const strict: Subcommand<Deps> = async (argv) => {
  parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  return 0;
};
const config: Subcommand<Deps> = async () => {
  throw Object.assign(new Error('SECRET-KEY is malformed'), { code: 'ECONFIG', exitCode: 78 });
};

describe('dispatch', () => {
  it('prints help on stdout for help/--help/-h (0) and on stderr with no command (2)', async () => {
    for (const word of ['help', '--help', '-h']) {
      const d = deps();
      expect(await dispatch([word], d, { name: 'demo', help: HELP, commands: { ok } })).toBe(0);
      expect(d.stdout.text).toBe(`${HELP}\n`);
    }
    const d = deps();
    expect(await dispatch([], d, { name: 'demo', help: HELP, commands: { ok } })).toBe(2);
    expect(d.stderr.text).toBe(`${HELP}\n`);
    expect(d.stdout.text).toBe('');
  });

  it('runs the named subcommand with the rest of argv, from a record or a loader', async () => {
    const d = deps();
    expect(await dispatch(['ok', 'a', 'b'], d, { name: 'demo', help: HELP, commands: { ok } })).toBe(0);
    expect(await dispatch(['ok', 'c'], d, { name: 'demo', help: HELP, commands: async (n) => (n === 'ok' ? ok : undefined) })).toBe(0);
    expect(d.stdout.text).toBe('ran a b\nran c\n');
  });

  it('refuses an unknown command, and a name the record only inherits, with exit 2', async () => {
    for (const name of ['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const d = deps();
      expect(await dispatch([name], d, { name: 'demo', help: HELP, commands: { ok } })).toBe(2);
      expect(d.stderr.text).toBe(`demo: unknown command ${JSON.stringify(name)}\n\n${HELP}\n`);
    }
  });

  it('a parseArgs error is usage (2) with a hint, and one JSON object on stdout under --json', async () => {
    const d = deps();
    expect(await dispatch(['strict', '--colour', '--json'], d, { name: 'demo', help: HELP, commands: { strict } })).toBe(2);
    expect(d.stderr.text).toMatch(/^demo strict: .*'--colour'.*\nRun "pnpm demo strict --help" for usage\.\n$/s);
    expect(JSON.parse(d.stdout.text)).toMatchObject({ ok: false, error: { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION', exitCode: 2 } });
  });

  it('takes the exit code the error carries, redacts the line and the JSON, and uses describe and label', async () => {
    const d = deps();
    const app = { name: 'demo', help: HELP, commands: { config }, redact: (s: string) => s.replaceAll('SECRET-KEY', '[REDACTED]') };
    expect(await dispatch(['config', '--json'], d, app)).toBe(78);
    expect(d.stderr.text).toBe('demo config: [REDACTED] is malformed\n');
    expect(JSON.parse(d.stdout.text)).toEqual({ ok: false, error: { code: 'ECONFIG', message: '[REDACTED] is malformed', exitCode: 78 } });
    const e = deps();
    const described = { ...app, describe: (err: unknown) => `${(err as { code: string }).code}: ${(err as Error).message}`, label: () => 'demo' };
    expect(await dispatch(['config'], e, described)).toBe(78);
    expect(e.stderr.text).toBe('demo: ECONFIG: [REDACTED] is malformed\n');
    expect(e.stdout.text).toBe('');
  });

  it('runs `before` inside the catch: its failure is the exit code and the subcommand never runs', async () => {
    const d = deps();
    const before = () => {
      throw Object.assign(new Error('LOG_LEVEL: malformed'), { exitCode: 78 });
    };
    expect(await dispatch(['ok'], d, { name: 'demo', help: HELP, commands: { ok }, before })).toBe(78);
    expect(d.stdout.text).toBe('');
    expect(d.stderr.text).toBe('demo ok: LOG_LEVEL: malformed\n');
  });

  it('a foreign error is a failure (1), never a silent 0', async () => {
    const d = deps();
    const boom: Subcommand<Deps> = async () => {
      throw new TypeError('x is not a function');
    };
    expect(await dispatch(['boom'], d, { name: 'demo', help: HELP, commands: { boom } })).toBe(1);
    expect(d.stderr.text).toBe('demo boom: x is not a function\n');
  });
});
