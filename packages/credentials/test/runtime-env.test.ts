// Covers readRuntimeEnv: defaults, empty values as unset, and one ECONFIG (exit 78) naming every bad variable.
import { describe, expect, it } from 'vitest';
import { jobClaudeBin, readRuntimeEnv } from '../src/runtime-env.ts';

describe('readRuntimeEnv', () => {
  it('gives the defaults and ignores variables it does not know', () => {
    const env = readRuntimeEnv({ LOG_LEVEL: '', PATH: '/bin', JOBS_STATE_DIR: '/var/lib/jobs' });
    expect(env).toMatchObject({ LOG_LEVEL: 'info', JOBS_CLAUDE_PATH: 'api', JOBS_STATE_DIR: '/var/lib/jobs' });
    expect(env).not.toHaveProperty('PATH');
    expect(jobClaudeBin(env)).toBe('claude');
    expect(jobClaudeBin(readRuntimeEnv({ FARM_CLAUDE_BIN: '/opt/claude' }))).toBe('/opt/claude');
    expect(jobClaudeBin(readRuntimeEnv({ FARM_CLAUDE_BIN: '/opt/claude', JOBS_CLAUDE_BIN: '/x/claude' }))).toBe('/x/claude');
  });

  it('refuses a malformed LOG_LEVEL, JOBS_CLAUDE_PATH and a relative state dir, all at once, exit 78', () => {
    let thrown: unknown;
    try {
      readRuntimeEnv({ LOG_LEVEL: 'verbose', JOBS_CLAUDE_PATH: 'free', JOBS_STATE_DIR: 'state' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'ECONFIG', exitCode: 78 });
    const message = (thrown as Error).message;
    for (const key of ['LOG_LEVEL', 'JOBS_CLAUDE_PATH', 'JOBS_STATE_DIR']) expect(message).toContain(key);
  });

  it('reads the instance settings farm passes (JOBS_INSTANCE, JOBS_RUN_BUDGET_USD, JOBS_FILE) and refuses malformed ones', () => {
    expect(readRuntimeEnv({ JOBS_INSTANCE: 'acme-1', JOBS_RUN_BUDGET_USD: '0.2', JOBS_FILE: 'jobs.yaml' })).toMatchObject({ JOBS_INSTANCE: 'acme-1', JOBS_RUN_BUDGET_USD: 0.2, JOBS_FILE: 'jobs.yaml' });
    let thrown: unknown;
    try {
      readRuntimeEnv({ JOBS_INSTANCE: 'Acme Co', JOBS_RUN_BUDGET_USD: '-1' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'ECONFIG', exitCode: 78 });
    for (const key of ['JOBS_INSTANCE', 'JOBS_RUN_BUDGET_USD']) expect((thrown as Error).message).toContain(key);
  });
});
