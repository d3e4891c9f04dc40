/**
 * The secrets farm knows besides repos.env's: values of its own environment named like secrets
 * (the subscription's CLAUDE_CODE_OAUTH_TOKEN, a stray API key, REDIS_URL), and the password of
 * any secret that is a URL. Everything farm prints, logs or queues is redacted with them too:
 * the CLI children inherit the login token, and their stderr or reply may echo it.
 */
import { createRedactor, type Redactor } from '@jobs/credentials/redact';

/**
 * The secrets plus the password (and user) of each secret that is a URL with userinfo: a
 * client's error may quote the password alone (`WRONGPASS`, an AUTH echo), not the whole URL.
 */
export function withUrlPasswords(secrets: readonly string[]): string[] {
  const out = [...secrets];
  for (const s of secrets) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      continue;
    }
    for (const part of [u.password, u.username]) {
      if (part === '' || part === 'default') continue;
      out.push(part);
      try {
        out.push(decodeURIComponent(part));
      } catch {
        // not percent-encoded text: the raw form is enough
      }
    }
  }
  return [...new Set(out)];
}

/** Values of the environment's variables named like secrets (the login token, a stray API key). */
export function envSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v !== undefined && v !== '' && /(?:^|_)(?:KEY|APIKEY|TOKEN|SECRET|PASS|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|DSN)(?:_|$)|^REDIS_URL$/i.test(k))
    .map(([, v]) => v as string);
}

/** A redactor for the secrets of `env` (see the file comment). */
export function envRedactor(env: Readonly<Record<string, string | undefined>>): Redactor {
  return createRedactor(withUrlPasswords(envSecrets(env)));
}
