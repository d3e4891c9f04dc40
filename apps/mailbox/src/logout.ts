/**
 * `mailbox logout <job>`: revokes the grant's refresh token where the provider has a
 * revocation endpoint (RFC 7009, through openid-client), then deletes the grant file. A
 * failed revocation is reported, and the file is deleted all the same: the job stops using it.
 */
import { parseArgs } from 'node:util';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { oauthConfiguration } from '@jobs/mail/auth/oauth-client';
import * as oidc from 'openid-client';
import { jobArg } from './args.ts';
import { type Deps, loadKeys, stateDirOf } from './deps.ts';
import { LOGOUT_HELP } from './help.ts';
import { oauthSettings } from './config.ts';

/** Runs the command; returns the exit code. */
export async function runLogout(argv: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'env-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    deps.stdout.write(LOGOUT_HELP);
    return 0;
  }
  const job = jobArg(positionals, true)!;
  const keys = await loadKeys(deps, values['env-file']);
  const store = createGrantStore({ stateDir: stateDirOf(deps) });
  const grant = await store.read(job);
  const out = (s: string) => deps.stdout.write(deps.secrets.redact(s));
  if (grant === undefined) {
    out(values.json ? `${JSON.stringify({ job, grant: null, revoked: false, deleted: false })}\n` : `The ${job} mailbox has no grant: nothing to do.\n`);
    return 0;
  }
  deps.secrets.add(grant.refreshToken);
  deps.secrets.add(grant.accessToken);
  const endpoint = grant.revocationEndpoint;
  if (values['dry-run']) {
    out(`[dry-run] would ${endpoint ? `revoke the refresh token at ${endpoint} and ` : ''}delete ${store.path(job)}\n`);
    return 0;
  }
  let revoked: boolean | 'unsupported' = 'unsupported';
  let revokeError: string | undefined;
  if (endpoint !== undefined && grant.refreshToken !== undefined) {
    const config = oauthConfiguration({
      tokenEndpoint: grant.tokenEndpoint,
      revocationEndpoint: endpoint,
      clientId: grant.clientId,
      clientSecret: oauthSettings(keys, job).clientSecret,
      clientAuth: grant.provider === 'google' ? 'post' : undefined,
    });
    revoked = await oidc.tokenRevocation(config, grant.refreshToken, { token_type_hint: 'refresh_token' }).then(
      () => true,
      (err: unknown) => {
        revokeError = deps.secrets.redact(err instanceof Error ? err.message : String(err));
        return false;
      },
    );
  }
  await store.remove(job);
  const result = { job, revoked, deleted: true, ...(revokeError ? { revokeError } : {}) };
  if (values.json) out(`${JSON.stringify(result)}\n`);
  else {
    const how = revoked === true ? 'revoked and deleted' : revoked === 'unsupported' ? 'deleted (the provider has no revocation endpoint: remove the app in the account settings)' : `deleted; revoking failed: ${revokeError}`;
    out(`The ${job} mailbox's grant was ${how}.\n`);
  }
  return revoked === false ? 1 : 0;
}
