/** The `claude` CLI's environment on the subscription path: constants only, so the transport choice (job-client.ts) can name them without loading the client. */

/**
 * The switches that keep the CLI from calling anything but the Messages API (telemetry,
 * feature flags, update checks, error reports): pass them as childEnv's `set`.
 */
export const CLI_QUIET_ENV: Readonly<Record<string, string>> = Object.freeze({
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_AUTOUPDATER: '1',
});

/**
 * The parent variables the CLI needs for the subscription login besides childEnv's default
 * allowlist: a long-lived token from `claude setup-token`, and a non-default config dir.
 */
export const CLI_AUTH_ALLOW: readonly string[] = Object.freeze(['CLAUDE_CODE_OAUTH_TOKEN', 'CLAUDE_CONFIG_DIR']);
