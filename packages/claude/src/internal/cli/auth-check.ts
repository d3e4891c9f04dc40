/**
 * The first wall of a subscription run, before the CLI is spawned: the auth path the CLI would
 * take with this env, HOME and working directory, read from every settings layer (user,
 * project, local, managed) the way `farm doctor` does. The CLI's own `apiKeySource` cannot be
 * trusted alone: it says `none` when ANTHROPIC_AUTH_TOKEN or a cloud switch comes from a
 * settings `env` block, and the CLI then bills that gateway or cloud account.
 */
import { homedir } from 'node:os';
import { type AuthCandidate, resolveAuthPath } from '@jobs/credentials/auth-path';

/** What the check needs from a run. */
export interface AuthCheckInput {
  env: Readonly<Record<string, string>>;
  cwd: string;
  /** The HOME the CLI sees. Default: the env's HOME, else the user's home directory. */
  home?: string | undefined;
  /** Managed settings file; null skips it. Default: the platform's location. */
  managedSettingsPath?: string | null | undefined;
}

/** The path that would bill someone other than the subscription, or undefined when none would. */
export async function nonSubscriptionPath(i: AuthCheckInput): Promise<AuthCandidate | undefined> {
  const home = i.home ?? (i.env.HOME || homedir());
  const { winner } = await resolveAuthPath({ env: i.env, home, cwd: i.cwd, managedSettingsPath: i.managedSettingsPath });
  // `none` (no credential found) is left to the CLI: it fails as "not logged in" and bills
  // nothing, and on macOS the stored login lives in the Keychain, which is not read here.
  return winner.billing === 'subscription' || winner.billing === 'none' ? undefined : winner;
}
