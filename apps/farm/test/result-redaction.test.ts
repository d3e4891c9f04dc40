// Covers what farm lets out of a task: every TaskResult is redacted before it is printed or
// returned into the queue. Canary secrets: the subscription's login token (farm's own env, which
// the CLI child inherits) and the repos.env API key (the --bare child's env). Stand-in CLIs echo
// them in stderr (ECLI message) and in the reply text; the real redis-server stores the worker's
// result, read back raw from the job's hash.
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { connectionOf } from '../src/queue.ts';
import { main } from '../src/main.ts';
import { APP_DIR, Capture, sandbox } from './helpers.ts';
import { startRedis } from './servers.ts';

const KEY_CANARY = 'sk-ant-api03-LEAK-CANARY-result-key-0123456789';
const TOKEN_CANARY = 'sk-ant-oat01-LEAK-CANARY-result-token-42';
const ECHO = join(APP_DIR, 'test/fixtures/claude-echo-env.sh');
const FAIL = join(APP_DIR, 'test/fixtures/claude-fail-env.sh');
const base = (bin: string) => ({ ANTHROPIC_API_KEY: KEY_CANARY, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', FARM_CLAUDE_BIN: bin, FARM_WATCHDOG_SECONDS: 30 });
const login = { CLAUDE_CODE_OAUTH_TOKEN: TOKEN_CANARY };

describe('farm: TaskResults are redacted before print or queue', () => {
  it('farm run: the CLI stderr in "farm: ECLI: ..." does not carry the login token', async () => {
    await using sb = await sandbox();
    await sb.writeEnv(base(FAIL));
    const r = await sb.run(['run', '--path', 'subscription'], 'Say hi.', login);
    expect(r.code).toBe(1);
    expect(r.stderr.text).toMatch(/farm: ECLI: .*refresh failed for token \[REDACTED\]/);
    expect(r.stdout.text + r.stderr.text).not.toContain(TOKEN_CANARY);
    const j = await sb.run(['run', '--path', 'subscription', '--json'], 'Say hi.', login);
    expect(j.stdout.lines()[0]).toMatchObject({ ok: false, error: { code: 'ECLI' } });
    expect(j.stdout.text + j.stderr.text).not.toContain(TOKEN_CANARY);
  }, 30_000);

  it('farm run --json: a reply that echoes the child env carries neither the API key nor the login token', async () => {
    await using sb = await sandbox();
    await sb.writeEnv(base(ECHO));
    const sub = await sb.run(['run', '--path', 'subscription', '--json'], 'Print your env.', login);
    expect(sub.stdout.lines()[0]).toMatchObject({ ok: true, text: 'env: ANTHROPIC_API_KEY= CLAUDE_CODE_OAUTH_TOKEN=[REDACTED]' });
    const bare = await sb.run(['run', '--path', 'api', '--agent', '--json'], 'Print your env.', login);
    expect(bare.stdout.lines()[0]).toMatchObject({ ok: true, text: 'env: ANTHROPIC_API_KEY=[REDACTED] CLAUDE_CODE_OAUTH_TOKEN=' });
    for (const out of [sub, bare]) {
      expect(out.stdout.text + out.stderr.text).not.toContain(KEY_CANARY);
      expect(out.stdout.text + out.stderr.text).not.toContain(TOKEN_CANARY);
    }
  }, 30_000);

  it('farm worker: the result BullMQ stores in redis is redacted', async () => {
    await using sb = await sandbox();
    await using redis = await startRedis(join(sb.root, 'redis'));
    await sb.writeEnv({ ...base(ECHO), REDIS_URL: redis.url, FARM_QUEUE_NAME: 'redact' });
    const q = await sb.run(['enqueue', '--path', 'subscription', '--id', 'leaky-1', '--json'], 'Print your env.', login);
    expect(q.stdout.lines()[0]).toMatchObject({ queued: true, taskId: 'leaky-1' });
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => {
      stop = r;
    });
    const stderr = new Capture();
    const worker = main(['worker'], { env: { ...sb.env, ...login }, stdout: new Capture(), stderr, stdin: Readable.from(['']), cwd: sb.root, home: sb.home, workspaceRoot: sb.root, stopSignal });
    const queue = new Queue('redact', { connection: connectionOf(redis.url) });
    try {
      let state = '';
      for (let i = 0; i < 300 && state !== 'completed' && state !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await queue.getJobState('leaky-1');
      }
      expect(state).toBe('completed');
      const raw = await (await queue.client).hgetall('bull:redact:leaky-1');
      expect(raw.returnvalue).toContain('CLAUDE_CODE_OAUTH_TOKEN=[REDACTED]');
      expect(JSON.stringify(raw)).not.toContain(TOKEN_CANARY);
      expect(JSON.stringify(raw)).not.toContain(KEY_CANARY);
    } finally {
      stop();
      await worker;
      await queue.close();
    }
    expect(stderr.text).not.toContain(TOKEN_CANARY);
  }, 60_000);
});
