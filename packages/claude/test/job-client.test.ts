// Covers jobClaude: the API path needs the job's key, the subscription path builds a CLI client
// whose environment has no key, and says which variables it kept from the CLI.
import { describe, expect, it } from 'vitest';
import { jobClaude } from '../src/job-client.ts';

function recorder() {
  const lines: Array<{ level: string; obj: object; msg?: string | undefined }> = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const base = {
  keyFile: '/tmp/repos.env',
  app: 'digest',
  job: 'digest',
  runId: 'r1',
  budgetUsd: 0.05,
  model: 'claude-haiku-5-5',
  ledger: { append: async () => {} },
  redact: (s: string) => s,
};

describe('jobClaude', () => {
  it('has no client on the API path without a key, and one with it', async () => {
    const { logger } = recorder();
    expect(jobClaude({ ...base, logger, runtime: { JOBS_CLAUDE_PATH: 'api' }, parentEnv: {} }).load).toBeNull();
    const api = jobClaude({ ...base, logger, runtime: { JOBS_CLAUDE_PATH: 'api' }, parentEnv: {}, apiKey: 'sk-ant-test' });
    expect(api.path).toBe('api');
    expect(api.load).not.toBeNull();
    const client = (await api.load!())();
    expect(client.path).toBe('api');
  });

  it('on the subscription path builds a CLI client and removes the parent key from its environment', async () => {
    const { lines, logger } = recorder();
    const sub = jobClaude({
      ...base,
      logger,
      runtime: { JOBS_CLAUDE_PATH: 'subscription', FARM_CLAUDE_BIN: '/opt/claude' },
      parentEnv: { PATH: '/usr/bin', ANTHROPIC_API_KEY: 'sk-ant-parent' },
      apiKey: 'sk-ant-job',
    });
    expect(sub.path).toBe('subscription');
    const client = (await sub.load!())() as unknown as { path: string };
    expect(client.path).toBe('subscription');
    const warn = lines.find((l) => l.level === 'warn');
    expect(warn?.obj).toEqual({ removed: ['ANTHROPIC_API_KEY'] });
    expect(lines.find((l) => l.level === 'info')?.obj).toMatchObject({ bin: '/opt/claude' });
  });
});
