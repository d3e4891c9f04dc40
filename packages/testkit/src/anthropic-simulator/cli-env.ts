/**
 * Running the real Claude Code CLI against the simulator: where its binary is, and an
 * environment built from scratch that keeps every byte of its traffic on loopback.
 *
 * Measured with `strace -f -e trace=connect` and an /etc/hosts override on CLI 2.1.330 in
 * `-p --output-format stream-json` mode, without any of the switches below it calls
 * api.anthropic.com directly (not ANTHROPIC_BASE_URL) for:
 * - POST /api/eval/sdk-... (feature flags) and POST /api/event_logging/v2/batch: stopped by
 *   DISABLE_TELEMETRY=1 (or CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1);
 * - GET /api/claude_cli/bootstrap, GET /api/claude_code_penguin_mode, GET
 *   /api/directory/server-urls: stopped only by CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1.
 * DISABLE_ERROR_REPORTING and DISABLE_AUTOUPDATER changed nothing measurable in a `-p` run;
 * they are set anyway because they guard paths a longer run could take.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AnthropicSimulatorError } from './errors.ts';

/** The switches that keep the CLI off the network apart from ANTHROPIC_BASE_URL. */
export const CLAUDE_CLI_QUIET_ENV: Readonly<Record<string, string>> = Object.freeze({
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_AUTOUPDATER: '1',
});

/** Which credential the CLI gets: an API key (API path) or an OAuth token (subscription path). */
export type ClaudeCliCredential = { apiKey: string } | { oauthToken: string };

/** Options of `claudeCliEnv`. */
export interface ClaudeCliEnvOptions {
  /** The simulator's url; must be a loopback http URL. */
  simUrl: string;
  /** A temporary HOME (the CLI writes ~/.claude there). */
  home: string;
  /** Omitted: no credential at all (the CLI's "not logged in" case). */
  credential?: ClaudeCliCredential;
  /** PATH for the child. Default `/usr/local/bin:/usr/bin:/bin`. */
  path?: string;
  /** More variables, added last (they may override the defaults). */
  extra?: Record<string, string>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The CLI's environment, built from nothing (never from process.env): PATH, HOME, the one
 * credential, ANTHROPIC_BASE_URL and the quiet switches.
 */
export function claudeCliEnv(opts: ClaudeCliEnvOptions): Record<string, string> {
  let url: URL;
  try {
    url = new URL(opts.simUrl);
  } catch (cause) {
    throw new AnthropicSimulatorError('ECONFIG', `simUrl is not a URL: ${JSON.stringify(opts.simUrl)}`, {
      cause,
      option: 'simUrl',
    });
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new AnthropicSimulatorError(
      'ECONFIG',
      `simUrl must be a loopback http URL (the CLI must not reach the network), got ${opts.simUrl}`,
      { option: 'simUrl' },
    );
  }
  if (opts.home.length === 0) {
    throw new AnthropicSimulatorError('ECONFIG', 'home must be a directory path, got ""', {
      option: 'home',
    });
  }
  const env: Record<string, string> = {
    PATH: opts.path ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: opts.home,
    ANTHROPIC_BASE_URL: opts.simUrl.replace(/\/+$/, ''),
    ...CLAUDE_CLI_QUIET_ENV,
  };
  if (opts.credential !== undefined) {
    if ('apiKey' in opts.credential) env.ANTHROPIC_API_KEY = opts.credential.apiKey;
    else env.CLAUDE_CODE_OAUTH_TOKEN = opts.credential.oauthToken;
  }
  return { ...env, ...opts.extra };
}

/**
 * Absolute path of the native `claude` binary of the installed `@anthropic-ai/claude-code`
 * (the executable itself, not the node_modules/.bin shell shim, so no shell is needed).
 */
export function claudeCliPath(): string {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve('@anthropic-ai/claude-code/package.json');
  } catch (cause) {
    throw new AnthropicSimulatorError(
      'ECLI_MISSING',
      '@anthropic-ai/claude-code is not installed: run pnpm install in the workspace root',
      { cause },
    );
  }
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.claude;
  if (bin === undefined) {
    throw new AnthropicSimulatorError('ECLI_MISSING', `no "claude" bin in ${pkgJson}`);
  }
  return join(dirname(pkgJson), bin);
}

/** The arguments of a one-turn headless run that prints stream-json events. */
export function claudeCliArgs(model = 'claude-haiku-5-5'): string[] {
  return ['-p', '--output-format', 'stream-json', '--verbose', '--model', model, '--max-turns', '1'];
}
