/**
 * Options of the CLI transport (createClaudeCliClient): the common ones (client-options.ts) plus
 * the CLI's environment, executable, watchdog and working directory, with their defaults and the
 * check made when the client is built. Each message names the option and the value it got; the
 * OAuth token and the environment's values are never echoed.
 */
import { tmpdir } from 'node:os';
import { spawn as nodeSpawn } from 'node:child_process';
import { ClaudeError } from '../../errors.ts';
import { assertSubscriptionEnv } from './args.ts';
import type { SpawnFn } from '../../cli-run.ts';
import { type CommonClientOptions, nonEmpty, positive, type ResolvedCommonOptions, resolveCommonOptions } from '../client-options.ts';

/** Options of createClaudeCliClient. */
export interface ClaudeCliClientOptions extends CommonClientOptions {
  /**
   * The CLI's whole environment. Build it with @jobs/credentials' `childEnv('subscription', ...)`
   * (the caller passes its process.env there; this library never reads it). It must carry no
   * ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or cloud-provider flag: those would move billing
   * to the API, so the client refuses to start with one. Its CLAUDE_CODE_OAUTH_TOKEN is redacted.
   */
  env: Readonly<Record<string, string>>;
  /** The `claude` executable. Default 'claude' (looked up on the env's PATH). */
  bin?: string;
  /** Inactivity watchdog: no stream event for this long kills the CLI's process group. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Whole-run limit per call. Default 300 000 ms. */
  timeoutMs?: number;
  /** Where each call's private working directory (holding the system prompt file) is made. Default os.tmpdir(). */
  tmpDir?: string;
  /** Written to each ledger row's `reason` (why this call runs on the subscription). */
  reason?: string;
  spawn?: SpawnFn;
  /** Managed settings file read before each run to resolve who would pay; null skips it. Default: the platform's location. */
  managedSettingsPath?: string | null;
}

/** Options after defaults and checks. */
export interface ResolvedCliOptions extends ResolvedCommonOptions {
  env: Record<string, string>;
  bin: string;
  idleTimeoutMs: number;
  timeoutMs: number;
  tmpDir: string;
  reason: string | undefined;
  spawn: SpawnFn;
  managedSettingsPath: string | null | undefined;
}

/** Applies defaults and checks every option; throws ClaudeError ECONFIG naming the first bad one. */
export function resolveCliOptions(o: ClaudeCliClientOptions): ResolvedCliOptions {
  if (o.env === null || typeof o.env !== 'object' || Array.isArray(o.env)) {
    throw new ClaudeError('ECONFIG', "option env must be an object of strings: build it with childEnv('subscription', { parentEnv })");
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(o.env)) {
    if (typeof value !== 'string') throw new ClaudeError('ECONFIG', `option env.${name} must be a string; got ${typeof value}`);
    env[name] = value;
  }
  assertSubscriptionEnv(env);
  return {
    ...resolveCommonOptions(o, env.CLAUDE_CODE_OAUTH_TOKEN),
    env,
    bin: nonEmpty('bin', o.bin ?? 'claude'),
    idleTimeoutMs: positive('idleTimeoutMs', o.idleTimeoutMs ?? 60_000),
    timeoutMs: positive('timeoutMs', o.timeoutMs ?? 300_000),
    tmpDir: nonEmpty('tmpDir', o.tmpDir ?? tmpdir()),
    reason: o.reason === undefined ? undefined : nonEmpty('reason', o.reason),
    spawn: o.spawn ?? (nodeSpawn as SpawnFn),
    managedSettingsPath: o.managedSettingsPath,
  };
}
