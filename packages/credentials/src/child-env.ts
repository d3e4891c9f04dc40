/**
 * The environment a subprocess gets. Node hands a child the whole `process.env` unless
 * told otherwise, so every secret the parent holds would reach every child; here the
 * child gets an allowlist of the parent's variables and nothing else.
 *
 * The billing path decides the Claude-related variables:
 * - `subscription`: the `claude` CLI must bill the logged-in subscription, so the
 *   variables that outrank it (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and the three
 *   cloud-provider flags) are removed even when allowlisted, and `removed` says which the
 *   parent had (the caller can warn: "your shell exports ANTHROPIC_API_KEY").
 * - `api`: the same variables are removed, then ANTHROPIC_API_KEY is set to the key given,
 *   for this child only; the key is never put on a command line, where `ps` shows it.
 * - `plain`: the allowlist only, for children that call no model.
 */
import { CredentialsError } from './errors.ts';

/** How the child is meant to reach Claude. */
export type ChildPath = 'subscription' | 'api' | 'plain';

/** The parent variables a child gets by default (LC_* matched by prefix). */
export const DEFAULT_ALLOW: readonly string[] = Object.freeze([
  'PATH',
  'HOME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
]);

/** Variables that make the `claude` CLI bill something other than the subscription. */
export const AUTH_OVERRIDE_VARS: readonly string[] = Object.freeze([
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
]);

/** Options of childEnv. */
export interface ChildEnvOptions {
  /** The parent's environment (the app passes `process.env`; libraries never read it). */
  parentEnv: Readonly<Record<string, string | undefined>>;
  /** More parent variables to pass on (exact names), on top of DEFAULT_ALLOW. */
  allow?: readonly string[];
  /** Variables to set for the child (not secrets: e.g. ANTHROPIC_BASE_URL). */
  set?: Readonly<Record<string, string>>;
  /** The API key for the `api` path; required there, refused elsewhere. */
  apiKey?: string;
}

/** The child's environment and the auth variables of the parent it does not inherit. */
export interface ChildEnv {
  env: Record<string, string>;
  removed: string[];
}

const PATHS: readonly ChildPath[] = ['subscription', 'api', 'plain'];

/** Builds the environment for one child process; see the module comment for the paths. */
export function childEnv(path: ChildPath, options: ChildEnvOptions): ChildEnv {
  if (!PATHS.includes(path)) {
    throw new CredentialsError('EOPTION', `childEnv: path must be one of ${PATHS.join(', ')}, got ${JSON.stringify(path)}`, {
      option: 'path',
    });
  }
  const { parentEnv, allow = [], set = {}, apiKey } = options;
  if (parentEnv === null || typeof parentEnv !== 'object') {
    throw new CredentialsError('EOPTION', 'childEnv: option parentEnv must be an object (pass process.env)', {
      option: 'parentEnv',
    });
  }
  if (path === 'api' && (typeof apiKey !== 'string' || apiKey.trim() === '')) {
    throw new CredentialsError(
      'EMISSING_KEY',
      "childEnv('api'): no API key given; pass apiKey (ANTHROPIC_API_KEY from repos.env)",
      { option: 'apiKey' },
    );
  }
  if (path !== 'api' && apiKey !== undefined) {
    throw new CredentialsError('EOPTION', `childEnv('${path}'): option apiKey is only for the 'api' path`, {
      option: 'apiKey',
    });
  }
  const stripAuth = path !== 'plain';
  for (const name of Object.keys(set)) {
    if (stripAuth && AUTH_OVERRIDE_VARS.includes(name)) {
      throw new CredentialsError('EOPTION', `childEnv('${path}'): option set may not carry ${name}; it decides billing`, {
        option: 'set',
      });
    }
  }

  const allowed = new Set([...DEFAULT_ALLOW, ...allow]);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value === undefined) continue;
    if (allowed.has(name) || name.startsWith('LC_')) env[name] = value;
  }
  const removed: string[] = [];
  if (stripAuth) {
    for (const name of AUTH_OVERRIDE_VARS) {
      if (parentEnv[name] !== undefined) removed.push(name);
      delete env[name];
    }
  }
  Object.assign(env, set);
  if (path === 'api' && apiKey !== undefined) env.ANTHROPIC_API_KEY = apiKey;
  return { env, removed };
}
