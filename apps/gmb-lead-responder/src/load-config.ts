/**
 * The lead responder's configuration: repos.env checked by the config schema (the API key not
 * required when Claude runs on the subscription, where it must never be read), the config's own
 * cross-checks, and the profile and rules files it names (relative to repos.env's folder).
 */
import { isAbsolute, resolve, dirname } from 'node:path';
import { loadScope, type Scope } from '@jobs/credentials/scope';
import { checkConfig, configSchema, type LeadConfig, subscriptionConfigSchema } from './config.ts';
import { type BusinessProfile, loadProfile } from './profile.ts';
import { type LeadRules, loadRules } from './rules.ts';

/** Where repos.env is looked for. */
export interface ConfigSource {
  readonly envFile?: string | undefined;
  readonly reposEnv?: string | undefined;
  readonly workspaceRoot: string;
  readonly cwd: string;
}

/** repos.env's scope; throws CredentialsError (exit 78) before any network I/O when a key is missing. */
export async function loadLeadScope(source: ConfigSource, claudePath: 'api' | 'subscription'): Promise<Scope<LeadConfig>> {
  const schema = claudePath === 'subscription' ? subscriptionConfigSchema : configSchema;
  // The cast: ANTHROPIC_API_KEY may be absent on the subscription, where it is never read.
  return (await loadScope({ schema, envFile: source.envFile, reposEnvVar: source.reposEnv, workspaceRoot: source.workspaceRoot, cwd: source.cwd })) as unknown as Scope<LeadConfig>;
}

/** Checks the config and loads the profile and rules it names; throws LeadError ECONFIG. */
export async function loadLeadFiles(config: LeadConfig, envFile: string): Promise<{ profile: BusinessProfile; rules: LeadRules }> {
  checkConfig(config);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(dirname(envFile), p));
  const [profile, rules] = await Promise.all([loadProfile(at(config.LEAD_PROFILE_PATH)), loadRules(at(config.LEAD_RULES_PATH))]);
  return { profile, rules };
}
