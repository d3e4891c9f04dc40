// Covers the real Claude Code CLI against the simulator: `claude -p --output-format stream-json`
// completes on the API-key path (apiKeySource ANTHROPIC_API_KEY) and the OAuth-token path
// (apiKeySource none), with an env built from scratch; plus the env helper's guards.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AnthropicSimulatorError,
  type ClaudeCliCredential,
  claudeCliArgs,
  claudeCliEnv,
  claudeCliPath,
  startAnthropicSimulator,
} from '../../src/anthropic-simulator/simulator.ts';

const KEY = 'sk-ant-api03-simulated-key';
const TOKEN = 'sk-ant-oat01-simulated-token';
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface CliRun {
  code: number | null;
  events: Array<Record<string, unknown>>;
  stderr: string;
}

/** Runs one headless turn; a safety timer kills a hung CLI so the test fails instead of hanging. */
async function runCli(simUrl: string, credential: ClaudeCliCredential, prompt: string): Promise<CliRun> {
  const root = await mkdtemp(join(tmpdir(), 'sim-cli-'));
  dirs.push(root);
  const child = spawn(claudeCliPath(), claudeCliArgs('claude-haiku-5-5'), {
    cwd: root,
    env: claudeCliEnv({ simUrl, home: root, credential }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  child.stdin.end(prompt);
  const safety = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(safety);
  const events = stdout
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, events, stderr };
}

function expectCompleted(run: CliRun, apiKeySource: string, text: string): void {
  expect(run.code, run.stderr).toBe(0);
  const init = run.events.find((e) => e.type === 'system' && e.subtype === 'init');
  expect(init).toMatchObject({ apiKeySource, model: 'claude-haiku-5-5' });
  const assistant = run.events.find((e) => e.type === 'assistant') as
    | { message: { content: Array<{ type: string; text?: string }> } }
    | undefined;
  expect(assistant?.message.content).toContainEqual({ type: 'text', text });
  const result = run.events.find((e) => e.type === 'result');
  expect(result).toMatchObject({ subtype: 'success', is_error: false, result: text });
}

describe('real Claude Code CLI against the simulator', () => {
  it('completes on the API key path (apiKeySource ANTHROPIC_API_KEY)', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    sim.respond(() => ({ kind: 'reply', text: 'Hello from the simulator (key).' }));
    const run = await runCli(sim.url, { apiKey: KEY }, 'Say hello.');
    expectCompleted(run, 'ANTHROPIC_API_KEY', 'Hello from the simulator (key).');
    const calls = sim.messageRequests();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      expect(call.status).toBe(200);
      expect(call.credential).toEqual({ apiKey: KEY, bearer: undefined, value: KEY });
      expect(call.body?.model).toBe('claude-haiku-5-5');
      expect(call.body?.stream).toBe(true);
    }
  }, 120_000);

  it('completes on the OAuth token path (apiKeySource none, no x-api-key sent)', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    // Unscripted: the default reply echoes the prompt (not the CLI's system-reminder block).
    const run = await runCli(sim.url, { oauthToken: TOKEN }, 'Say hello.');
    expectCompleted(run, 'none', 'Simulated reply to: Say hello.');
    const calls = sim.messageRequests();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      expect(call.credential).toEqual({ apiKey: undefined, bearer: TOKEN, value: TOKEN });
      expect(call.headers['anthropic-beta']).toContain('oauth-2025-04-20');
    }
    // No request of any kind carried the API key.
    expect(sim.requests.some((r) => JSON.stringify(r.headers).includes(KEY))).toBe(false);
  }, 120_000);
});

describe('claudeCliEnv', () => {
  it('builds the env from scratch with exactly one credential', () => {
    const env = claudeCliEnv({ simUrl: 'http://127.0.0.1:1234/', home: '/tmp/h', credential: { oauthToken: 't' } });
    expect(env).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/tmp/h',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1234',
      CLAUDE_CODE_OAUTH_TOKEN: 't',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
    });
    expect(claudeCliEnv({ simUrl: 'http://localhost:1', home: '/h' }).ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('refuses a base URL that is not loopback', () => {
    expect(() => claudeCliEnv({ simUrl: 'https://api.anthropic.com', home: '/h' })).toThrow(AnthropicSimulatorError);
    expect(() => claudeCliEnv({ simUrl: 'http://10.0.0.1:80', home: '/h' })).toThrow(/loopback/);
  });
});
