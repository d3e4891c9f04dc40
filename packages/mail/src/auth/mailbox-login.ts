/**
 * From a job's validated mailbox settings (repos.env keys, parsed by the job) to one resolved
 * server per side: host, port and TLS from the provider preset unless given, and a password or
 * an access-token source (a stored grant, or a Workspace service account's key file). The
 * result goes through transport-settings.ts (imapOptionsFrom / smtpOptionsFrom), the one
 * mapping to client options. Bad combinations are ECONFIG/EGRANT errors that name both ways
 * in: the password key, and `pnpm mailbox login`.
 */
import { MailError } from '../errors.ts';
import { type ProviderPreset, providerPreset } from '../providers/presets.ts';
import { createGrantStore } from './grant-store.ts';
import { createGrantTokenSource } from './grant-token-source.ts';
import { loginHint } from './grant.ts';
import type { TlsMode } from '../transport-settings.ts';
import { serviceAccountFileTokenSource } from './service-account-file.ts';
import type { AccessTokenSource } from './token-source.ts';

export type { TlsMode } from '../transport-settings.ts';

/** One server as the job's keys give it (all optional with a preset). */
export interface ServerKeys {
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly tls?: TlsMode | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly auth?: 'password' | 'oauth2' | undefined;
}

/** A job's mailbox settings. */
export interface MailboxSettings {
  /** Grant name: `digest`, `lead`. */
  readonly account: string;
  /** IMAP_PROVIDER / LEAD_IMAP_PROVIDER; default generic. */
  readonly provider?: string | undefined;
  /** Key prefix for messages: `IMAP_` or `LEAD_IMAP_`. */
  readonly imapKeyPrefix: string;
  readonly smtpKeyPrefix: string;
  readonly imap: ServerKeys;
  readonly smtp?: ServerKeys | undefined;
  /** OAuth client secret (repos.env), for the grant's refreshes. */
  readonly clientSecret?: string | undefined;
  /**
   * `<prefix>OAUTH_SERVICE_ACCOUNT_FILE`: a Workspace service account's key file (domain-wide
   * delegation); tokens by JWT bearer for the mailbox user instead of a stored grant. A relative
   * `file` is taken from `baseDir` (the repos.env file's folder). Scope default https://mail.google.com/.
   */
  readonly serviceAccount?: { readonly file: string; readonly baseDir: string; readonly scope?: string | undefined } | undefined;
  readonly stateDir: string;
}

/** One server's resolved connection and login. */
export interface ResolvedServer {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user: string;
  readonly auth: 'password' | 'oauth2';
  readonly password?: string | undefined;
  readonly tokens?: AccessTokenSource | undefined;
}

function server(kind: 'IMAP' | 'SMTP', prefix: string, s: ServerKeys, preset: ProviderPreset['imap'], fallbackUser?: string) {
  const host = s.host ?? preset?.host;
  if (host === undefined) throw new MailError('ECONFIG', `${prefix}HOST is required for the generic provider (or set a ${prefix.startsWith('LEAD_') ? 'LEAD_' : ''}IMAP_PROVIDER preset)`);
  const tls = s.tls ?? preset?.tls ?? 'tls';
  const port = s.port ?? (host === preset?.host ? preset.port : kind === 'IMAP' ? (tls === 'tls' ? 993 : 143) : tls === 'tls' ? 465 : 587);
  const user = s.user ?? fallbackUser;
  if (user === undefined) throw new MailError('ECONFIG', `${prefix}USER is required`);
  return { host, port, tls, user };
}

/** Resolves both servers; tokens come from the grant store or the service account. */
export async function resolveMailboxLogin(
  s: MailboxSettings,
  deps: { onSecret?: (secret: string) => void; now?: () => number; fetch?: typeof fetch } = {},
): Promise<{ preset: ProviderPreset; imap: ResolvedServer; smtp: ResolvedServer | undefined; method: 'password' | 'oauth2' | 'service-account' }> {
  const preset = providerPreset(s.provider ?? 'generic', `${s.imapKeyPrefix}PROVIDER`);
  const imapBase = server('IMAP', s.imapKeyPrefix, s.imap, preset.imap);
  const imapAuth = s.imap.auth ?? (s.imap.password !== undefined || preset.oauth === undefined ? 'password' : 'oauth2');
  const hint = preset.oauth === undefined ? '' : `, or ${loginHint(s.account)} and set ${s.imapKeyPrefix}AUTH=oauth2`;
  let tokens: AccessTokenSource | undefined;
  const tokenSource = async (): Promise<AccessTokenSource> => {
    if (tokens !== undefined) return tokens;
    if (preset.oauth === undefined) {
      throw new MailError('ECONFIG', `${preset.label} takes no OAuth 2 login from this suite: set ${s.imapKeyPrefix}AUTH=password and an app password in ${s.imapKeyPrefix}PASSWORD`);
    }
    if (s.serviceAccount !== undefined) {
      const sa = s.serviceAccount;
      tokens = await serviceAccountFileTokenSource({
        path: sa.file, baseDir: sa.baseDir, keyName: `${s.imapKeyPrefix}OAUTH_SERVICE_ACCOUNT_FILE`, scope: sa.scope, subject: imapBase.user, account: s.account, ...deps,
      });
      return tokens;
    }
    const store = createGrantStore({ stateDir: s.stateDir });
    if ((await store.read(s.account)) === undefined) {
      throw new MailError('EGRANT', `no OAuth 2 grant for the ${s.account} mailbox yet: ${loginHint(s.account)}, or set ${s.imapKeyPrefix}AUTH=password and ${s.imapKeyPrefix}PASSWORD`, { account: s.account });
    }
    tokens = createGrantTokenSource({ store, account: s.account, client: { clientSecret: s.clientSecret }, ...deps });
    return tokens;
  };
  const login = async (base: ReturnType<typeof server>, auth: 'password' | 'oauth2', password: string | undefined, prefix: string): Promise<ResolvedServer> => {
    if (auth === 'oauth2') return { ...base, auth, tokens: await tokenSource() };
    if (password === undefined) {
      throw new MailError('ECONFIG', `${prefix}PASSWORD is not set for the ${s.account} mailbox: set it${hint}`);
    }
    if (preset.password === 'refused') {
      throw new MailError('ECONFIG', `${preset.label} refuses password logins: ${loginHint(s.account)} and set ${s.imapKeyPrefix}AUTH=oauth2`);
    }
    deps.onSecret?.(password);
    return { ...base, auth, password };
  };
  const imap = await login(imapBase, imapAuth, s.imap.password, s.imapKeyPrefix);
  let smtp: ResolvedServer | undefined;
  if (s.smtp !== undefined) {
    const smtpBase = server('SMTP', s.smtpKeyPrefix, s.smtp, preset.smtp, imapBase.user);
    smtp = await login(smtpBase, s.smtp.auth ?? imapAuth, s.smtp.password ?? (s.smtp.auth === 'password' ? undefined : s.imap.password), s.smtpKeyPrefix);
  }
  const method = imapAuth === 'password' ? 'password' : s.serviceAccount !== undefined ? 'service-account' : 'oauth2';
  return { preset, imap, smtp, method };
}
