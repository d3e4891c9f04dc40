// Covers what `farm` prints of a failure: FarmError messages and unexpected errors' stacks are
// redacted with the loaded repos.env's secrets (the API key, REDIS_URL and its password alone)
// and the secrets of farm's own environment; the canaries never reach stdout or stderr.
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FarmError } from '../src/errors.ts';
import type { SpawnFn } from '@jobs/claude/cli-run';
import { main } from '../src/main.ts';
import { APP_DIR, Capture, sandbox, type Sandbox, WORKSPACE } from './helpers.ts';

const FAKE = join(APP_DIR, 'test/fixtures/fake-job.ts');
const API_CANARY = 'sk-ant-api03-LEAK-CANARY-api-key-0123456789';
const REDIS_PASS = 'LEAK-CANARY-redis-pass-4711';
const REDIS_URL = `redis://:${REDIS_PASS}@127.0.0.1:6390/0`;
const TOKEN_CANARY = 'sk-ant-oat01-LEAK-CANARY-login-token-42';
const CANARIES = [API_CANARY, REDIS_PASS, TOKEN_CANARY];

/** Runs `farm run-job digest` with a spawn that fails by throwing `err`. */
async function failWith(sb: Sandbox, err: Error) {
  const stdout = new Capture();
  const stderr = new Capture();
  const spawn: SpawnFn = () => {
    throw err;
  };
  const env = { ...sb.env, CLAUDE_CODE_OAUTH_TOKEN: TOKEN_CANARY };
  const code = await main(['run-job', 'digest'], { env, stdout, stderr, stdin: Readable.from(['']), cwd: WORKSPACE, home: sb.home, workspaceRoot: WORKSPACE, spawn });
  return { code, out: stdout.text + stderr.text, stderr: stderr.text };
}

describe('farm main: failures are printed redacted', () => {
  it('an unexpected error whose message and stack quote the secrets', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ ANTHROPIC_API_KEY: API_CANARY, REDIS_URL, FARM_JOB_DIGEST_SCRIPT: FAKE });
    const r = await failWith(sb, new TypeError(`client built with ${API_CANARY} for ${REDIS_URL}: WRONGPASS ${REDIS_PASS}, login ${TOKEN_CANARY}`));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/farm: unexpected failure: TypeError: client built with \[REDACTED\] for \[REDACTED\]: WRONGPASS \[REDACTED\], login \[REDACTED\]/);
    expect(r.stderr).toContain('redaction.test.ts');
    for (const c of CANARIES) expect(r.out).not.toContain(c);
  });

  it('a FarmError message', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ ANTHROPIC_API_KEY: API_CANARY, REDIS_URL, FARM_JOB_DIGEST_SCRIPT: FAKE });
    const r = await failWith(sb, new FarmError('ECLI', `the job could not start with ${REDIS_PASS} and ${encodeURIComponent(API_CANARY)}`));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('farm: ECLI: the job could not start with [REDACTED] and [REDACTED]');
    for (const c of CANARIES) expect(r.out).not.toContain(c);
  });
});
