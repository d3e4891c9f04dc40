/**
 * Test helpers for grants: a temp state dir, a grant written there from the test
 * authorization server's seeded tokens, and a child process running the refresh fixture.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuthServer } from '@jobs/testkit/oauth-server';
import { createGrantStore, type GrantStore } from '../src/auth/grant-store.ts';

/** A temp state dir removed on dispose. */
export async function tempStateDir(): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mail-grants-'));
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** Seeds a grant at `as` and stores it for `account`; `expiresAt` overrides the stored expiry. */
export async function storeSeededGrant(
  as: OAuthServer,
  stateDir: string,
  account: string,
  opts: { expiresAt?: number } = {},
): Promise<{ store: GrantStore; refreshToken: string; accessToken: string }> {
  const seeded = await as.seedGrant();
  const store = createGrantStore({ stateDir });
  await store.write({
    version: 1,
    account,
    provider: 'generic',
    user: as.user,
    tokenEndpoint: as.tokenEndpoint,
    revocationEndpoint: as.revocationEndpoint,
    clientId: as.client.id,
    scope: seeded.scope,
    refreshToken: seeded.refreshToken,
    accessToken: seeded.accessToken,
    expiresAt: opts.expiresAt ?? Date.now() + seeded.expiresIn * 1000,
    updatedAt: new Date().toISOString(),
  });
  return { store, refreshToken: seeded.refreshToken, accessToken: seeded.accessToken };
}

const fixture = join(import.meta.dirname, 'fixtures', 'grant-refresh.ts');

/** Runs the refresh fixture as a child process; the secret goes on stdin. */
export function refreshInChild(
  env: { stateDir: string; account: string; crash?: boolean; force?: boolean },
  secret: string,
): Promise<{ code: number | null; signal: string | null; out: Record<string, unknown> | undefined; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', fixture],
      {
        env: {
          PATH: process.env.PATH ?? '',
          JOBS_STATE_DIR: env.stateDir,
          GRANT_ACCOUNT: env.account,
          GRANT_CRASH_AFTER_TOKEN: env.crash ? '1' : '0',
          GRANT_FORCE: env.force ? '1' : '0',
          // A SIGKILLed child leaves its lock behind: the next one takes it over once stale.
          GRANT_LOCK_WAIT_MS: '30000',
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1);
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          signal: error?.signal ?? null,
          out: line ? (JSON.parse(line) as Record<string, unknown>) : undefined,
          stderr,
        });
      },
    );
    child.stdin?.end(secret);
  });
}
