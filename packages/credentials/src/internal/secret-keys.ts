/**
 * Which keys of an env file hold secrets. A key is secret when its schema field says so
 * with `.meta({ secret: true })`, when the caller lists it, or when one of its
 * `_`-separated words names a secret (KEY, TOKEN, SECRET, PASS, PASSWORD, PASSWD,
 * PASSPHRASE, CREDENTIAL(S), APIKEY), or names a data store's connection string: DSN, or
 * URL / URI with a store word (REDIS_URL, DATABASE_URL, MONGODB_URI, AMQP_URL, ...), whose
 * value carries the password in its userinfo (`redis://:pass@host`). Plain endpoint URLs
 * (ANTHROPIC_BASE_URL) stay readable in the logs. `.meta({ secret: false })` opts a key out.
 * Matching whole words, not substrings, keeps `PROXY_BYPASS=true` from redacting every
 * `true` in the logs.
 */
import type * as z from 'zod';

const SECRET_WORD = /^(?:KEY|APIKEY|TOKEN|SECRET|PASS|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?)$/i;

/** Words naming a data store or broker whose URL holds its credentials. */
const STORE_WORD = /^(?:REDIS|REDISS|VALKEY|KEYDB|DATABASE|DB|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB|AMQP|AMQPS|RABBITMQ|BROKER|CELERY|QUEUE|NATS|KAFKA|CONNECTION)$/i;
const LOCATOR_WORD = /^(?:URL|URI)$/i;

/** True when the key's name has a word that names a secret or a store's connection string. */
export function looksSecret(key: string): boolean {
  const words = key.split('_');
  if (words.some((word) => SECRET_WORD.test(word) || /^DSN$/i.test(word))) return true;
  return words.some((word) => LOCATOR_WORD.test(word)) && words.some((word) => STORE_WORD.test(word));
}

/** The `secret` flag from a field's zod metadata, looking through optional/default wrappers. */
export function metaSecret(field: z.ZodType | undefined): boolean | undefined {
  let current: unknown = field;
  for (let depth = 0; depth < 8 && current; depth += 1) {
    const schema = current as { meta?: () => unknown; _zod?: { def?: { innerType?: unknown; in?: unknown } } };
    const meta = typeof schema.meta === 'function' ? schema.meta() : undefined;
    if (meta && typeof meta === 'object' && typeof (meta as { secret?: unknown }).secret === 'boolean') {
      return (meta as { secret: boolean }).secret;
    }
    // optional(), default(), nullable() wrap innerType; pipe() (transforms) has `in`.
    current = schema._zod?.def?.innerType ?? schema._zod?.def?.in;
  }
  return undefined;
}

/** Whether `key` is secret under the rules above. */
export function isSecretKey(key: string, shape: Record<string, z.ZodType>, extra: ReadonlySet<string>): boolean {
  const flagged = metaSecret(Object.hasOwn(shape, key) ? shape[key] : undefined);
  if (flagged !== undefined) return flagged;
  return extra.has(key) || looksSecret(key);
}
