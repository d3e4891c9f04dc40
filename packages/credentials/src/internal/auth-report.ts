/**
 * What the doctor reports (diagnoseAuth's result), apart from the doctor itself so that its
 * formatter and the doctor both import it and neither imports the other.
 */
import type { AuthCandidate } from './auth-paths.ts';
import type { ShellExport } from './shell-exports.ts';

/** The state of a repos.env file. */
export interface ReposEnvCheck {
  file: string;
  exists: boolean;
  /** Octal permission bits, e.g. `600`. */
  mode?: string;
  /** True when group and others have no access. */
  private?: boolean;
  /** True when git tracks it; null when git could not tell or was not asked. */
  tracked: boolean | null;
  /** What is wrong and the fix, when something is. */
  problems: string[];
}

/** What diagnoseAuth found. The top-level path/billing/source/explanation are the winner's. */
export interface AuthReport extends AuthCandidate {
  /** Credentials present but outranked by the winner, in precedence order. */
  shadowed: AuthCandidate[];
  /** Shell start-up lines exporting an API key or auth token (never the value). */
  shellExports: ShellExport[];
  reposEnv?: ReposEnvCheck;
  warnings: string[];
}
