// Covers which keys are secret: the secret words, and connection strings of data stores
// (REDIS_URL with a password in its userinfo) versus plain endpoint URLs, through loadScope.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { looksSecret } from '../src/internal/secret-keys.ts';
import { loadScope } from '../src/scope.ts';
import { tempDir, writeEnv } from './helpers/tmp.ts';

describe('looksSecret', () => {
  it('flags connection strings of stores, not endpoint URLs', () => {
    for (const k of ['REDIS_URL', 'DATABASE_URL', 'MONGODB_URI', 'AMQP_URL', 'FARM_QUEUE_REDIS_URL', 'SENTRY_DSN', 'IMAP_PASSWORD', 'API_KEY']) expect(looksSecret(k), k).toBe(true);
    for (const k of ['ANTHROPIC_BASE_URL', 'FARM_QUEUE_NAME', 'WEBSITE_URL', 'REDIS_HOST', 'PROXY_BYPASS']) expect(looksSecret(k), k).toBe(false);
  });
});

describe('loadScope with a REDIS_URL', () => {
  it('treats the URL as a secret: it is in scope.secrets and redacted, the base URL is not', async () => {
    const dir = await tempDir();
    const url = 'redis://:farm-redis-pass-4711@127.0.0.1:6379/0';
    await writeEnv(dir, `REDIS_URL=${url}\nANTHROPIC_BASE_URL=http://127.0.0.1:4000\n`);
    const scope = await loadScope({ schema: z.object({ REDIS_URL: z.string(), ANTHROPIC_BASE_URL: z.url() }), workspaceRoot: dir, checkGit: false });
    expect(scope.secrets).toEqual([url]);
    const line = scope.redact(`connecting to ${url} after http://127.0.0.1:4000`);
    expect(line).not.toContain('farm-redis-pass-4711');
    expect(line).toContain('http://127.0.0.1:4000');
  });
});
