/**
 * `mailbox login <job>`: gets a grant by the provider's flow (device code, or authorization
 * code + PKCE on a loopback redirect with a pasted-URL fallback) and stores it, 0600, for the
 * job's account. Tokens never reach stdout or stderr: they are redacted if they ever would.
 */
import { parseArgs } from 'node:util';
import { startDeviceLogin } from '@jobs/mail/auth/device-login';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { startPkceLogin } from '@jobs/mail/auth/pkce-login';
import type * as oidc from 'openid-client';
import { jobArg } from './args.ts';
import { type Deps, loadKeys, stateDirOf } from './deps.ts';
import { MailboxError } from './errors.ts';
import { LOGIN_HELP } from './help.ts';
import { oauthApp } from './oauth-app.ts';

type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

/** Runs the command; returns the exit code. */
export async function runLogin(argv: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      paste: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '600' },
      'env-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    deps.stdout.write(LOGIN_HELP);
    return 0;
  }
  const job = jobArg(positionals, true)!;
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new MailboxError('EUSAGE', `--timeout: got ${JSON.stringify(values.timeout)}; expected a number of seconds`);
  const keys = await loadKeys(deps, values['env-file']);
  const app = oauthApp(keys, job);
  const say = (s: string) => deps.stderr.write(deps.secrets.redact(s));
  const signal = AbortSignal.timeout(timeoutMs);

  let tokens: Tokens;
  if (app.endpoints.flow === 'device') {
    const login = await startDeviceLogin(app.config, app.endpoints.scope, job);
    const { prompt } = login;
    say(`To log the ${job} mailbox (${app.user}) in, open ${prompt.verificationUri} on any device and enter the code ${prompt.userCode}\n`);
    say(`Waiting up to ${Math.round(Math.min(timeoutMs / 1000, prompt.expiresInSeconds))} s for the approval...\n`);
    tokens = await login.wait(signal);
  } else {
    const extra: Record<string, string> =
      app.preset.oauth === 'google' ? { access_type: 'offline', prompt: 'consent', login_hint: app.user } : {};
    const login = await startPkceLogin(app.config, { scope: app.endpoints.scope, account: job, extraParams: extra });
    try {
      say(`To log the ${job} mailbox (${app.user}) in, open this URL and sign in as ${app.user}:\n\n  ${login.url}\n\n`);
      say(
        values.paste
          ? 'Then paste here the address the browser ended on (it will not load: that is expected):\n'
          : 'Waiting for the browser to come back to this machine. Without a browser here, paste the address it ended on:\n',
      );
      const pasted = deps.readLine().then((line) => {
        if (line === undefined || line.trim() === '') throw new MailboxError('ELOGIN', 'no address was pasted');
        return line;
      });
      const candidates = values.paste ? [pasted] : [login.waitForRedirect(), pasted];
      const timedOut = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(new MailboxError('ELOGIN', `no login within ${values.timeout} s`)), { once: true }),
      );
      const redirect = await Promise.race([...candidates, timedOut]);
      tokens = await login.complete(redirect);
    } finally {
      await login.close();
    }
  }
  deps.secrets.add(tokens.access_token);
  deps.secrets.add(tokens.refresh_token);
  if (tokens.refresh_token === undefined) {
    throw new MailboxError('ELOGIN', `${app.preset.label} gave no refresh token, so the job could not renew its access: remove the app's access in the account's security settings and log in again`);
  }
  const store = createGrantStore({ stateDir: stateDirOf(deps) });
  const expiresAt = deps.now() + (tokens.expiresIn() ?? 3600) * 1000;
  await store.write({
    version: 1,
    account: job,
    provider: app.preset.oauth ?? 'generic',
    user: app.user,
    tokenEndpoint: app.endpoints.tokenEndpoint,
    revocationEndpoint: app.endpoints.revocationEndpoint,
    clientId: app.clientId,
    scope: tokens.scope ?? app.endpoints.scope,
    refreshToken: tokens.refresh_token,
    accessToken: tokens.access_token,
    expiresAt,
    updatedAt: new Date(deps.now()).toISOString(),
  });
  const result = { job, provider: app.preset.name, user: app.user, grant: store.path(job), scope: tokens.scope ?? app.endpoints.scope };
  deps.stdout.write(
    deps.secrets.redact(values.json ? `${JSON.stringify(result)}\n` : `Logged in: the ${job} mailbox's grant is in ${result.grant}. Check it with: pnpm mailbox doctor ${job}\n`),
  );
  return 0;
}
