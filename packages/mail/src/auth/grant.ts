/**
 * The OAuth 2 grant kept for one mailbox: where its tokens come from (token endpoint, client
 * id) and the tokens themselves. The client secret is not in it: it stays in repos.env with
 * the job's other secrets. Parsed strictly: a grant file that does not have this shape is
 * an EGRANT error naming the file, never a silent "not logged in".
 */
import { MailError } from '../errors.ts';

/** One mailbox's grant, as stored (JSON, mode 0600). */
export interface StoredGrant {
  readonly version: 1;
  /** The job's mailbox name: `digest`, `lead`, `notify`. */
  readonly account: string;
  /** `google`, `microsoft` or `generic` (how it was obtained). */
  readonly provider: string;
  /** The mail login the tokens are for. */
  readonly user: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint?: string | undefined;
  readonly clientId: string;
  readonly scope?: string | undefined;
  /** Absent for a grant that cannot be refreshed (a service account asks anew instead). */
  readonly refreshToken?: string | undefined;
  readonly accessToken?: string | undefined;
  /** When the access token expires (ms since epoch). */
  readonly expiresAt?: number | undefined;
  /** When the file was last written (ISO). */
  readonly updatedAt: string;
}

function text(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/** Checks a parsed grant file; throws EGRANT naming `path` and the login command. */
export function parseGrant(value: unknown, path: string, account: string): StoredGrant {
  const g = value as Record<string, unknown> | null;
  const ok =
    typeof g === 'object' &&
    g !== null &&
    g.version === 1 &&
    text(g.account) &&
    text(g.provider) &&
    text(g.user) &&
    text(g.tokenEndpoint) &&
    text(g.clientId) &&
    text(g.updatedAt) &&
    (g.refreshToken === undefined || text(g.refreshToken)) &&
    (g.accessToken === undefined || text(g.accessToken)) &&
    (g.expiresAt === undefined || typeof g.expiresAt === 'number');
  if (!ok) {
    throw new MailError('EGRANT', `the grant file ${path} is not a grant this version can read: run \`pnpm mailbox login ${account}\``, {
      path,
      account,
    });
  }
  return g as unknown as StoredGrant;
}

/** The message every "log in again" error ends with. */
export function loginHint(account: string): string {
  return `run \`pnpm mailbox login ${account}\``;
}
