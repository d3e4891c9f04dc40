// Covers childEnv: a real child process sees only allowlisted variables, the subscription path strips billing overrides, the api path carries its key.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AUTH_OVERRIDE_VARS, childEnv } from '../src/child-env.ts';
import { CredentialsError } from '../src/errors.ts';

/** Starts a real node child with `env` and returns the environment it saw. */
function envSeenByChild(env: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], { env }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as Record<string, string>);
    });
  });
}

const PARENT: Record<string, string | undefined> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/home/dana',
  LANG: 'en_US.UTF-8',
  LC_ALL: 'C.UTF-8',
  TZ: 'Europe/Paris',
  https_proxy: 'http://proxy.internal:3128',
  NO_PROXY: 'localhost',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-must-not-leak',
  GITHUB_TOKEN: 'ghp-must-not-leak',
  IMAP_PASSWORD: 'imap-must-not-leak',
  UNSET_ONE: undefined,
  ANTHROPIC_API_KEY: 'sk-parent-key',
  ANTHROPIC_AUTH_TOKEN: 'parent-bearer',
  CLAUDE_CODE_USE_BEDROCK: '1',
  CLAUDE_CODE_USE_VERTEX: '1',
  CLAUDE_CODE_USE_FOUNDRY: '1',
};

describe('childEnv', () => {
  it('plain: the child sees the allowlist and not an unrelated secret of the parent', async () => {
    const { env } = childEnv('plain', { parentEnv: PARENT });
    const seen = await envSeenByChild(env);
    expect(seen.HOME).toBe('/home/dana');
    expect(seen.LC_ALL).toBe('C.UTF-8');
    expect(seen.TZ).toBe('Europe/Paris');
    expect(seen.https_proxy).toBe('http://proxy.internal:3128');
    expect(seen.NO_PROXY).toBe('localhost');
    expect(seen.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(seen.GITHUB_TOKEN).toBeUndefined();
    expect(seen.IMAP_PASSWORD).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('must-not-leak');
  });

  it('without childEnv the same child would have seen the secret (the danger is real)', async () => {
    const seen = await envSeenByChild({ ...(PARENT as Record<string, string>) });
    expect(seen.AWS_SECRET_ACCESS_KEY).toBe('aws-secret-must-not-leak');
  });

  it('subscription: none of the billing overrides reach the child, even allowlisted, and removed says which the parent had', async () => {
    const { env, removed } = childEnv('subscription', {
      parentEnv: PARENT,
      allow: ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_USE_BEDROCK'],
      set: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    });
    const seen = await envSeenByChild(env);
    for (const name of AUTH_OVERRIDE_VARS) expect(seen[name]).toBeUndefined();
    expect(seen.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:9');
    expect(removed).toEqual([...AUTH_OVERRIDE_VARS]);

    const partial = childEnv('subscription', { parentEnv: { PATH: '/bin', ANTHROPIC_API_KEY: 'sk-x' } });
    expect(partial.removed).toEqual(['ANTHROPIC_API_KEY']);
    expect(childEnv('subscription', { parentEnv: { PATH: '/bin' } }).removed).toEqual([]);
  });

  it('api: the child gets the given key, and only the child', async () => {
    const before = process.env.ANTHROPIC_API_KEY;
    const { env, removed } = childEnv('api', { parentEnv: PARENT, apiKey: 'sk-ant-for-this-child' });
    const seen = await envSeenByChild(env);
    expect(seen.ANTHROPIC_API_KEY).toBe('sk-ant-for-this-child');
    expect(seen.ANTHROPIC_AUTH_TOKEN).toBeUndefined(); // it would outrank the key
    expect(seen.CLAUDE_CODE_USE_BEDROCK).toBeUndefined();
    expect(seen.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(removed).toContain('ANTHROPIC_AUTH_TOKEN');
    expect(process.env.ANTHROPIC_API_KEY).toBe(before);
    expect(PARENT.ANTHROPIC_API_KEY).toBe('sk-parent-key');
    // A second child built without the key does not get it.
    const other = await envSeenByChild(childEnv('plain', { parentEnv: PARENT }).env);
    expect(other.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('refuses api without a key, a key on another path, and billing overrides in set', () => {
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(CredentialsError);
        return (err as CredentialsError).code;
      }
      return undefined;
    };
    expect(codeOf(() => childEnv('api', { parentEnv: PARENT }))).toBe('EMISSING_KEY');
    expect(codeOf(() => childEnv('api', { parentEnv: PARENT, apiKey: ' ' }))).toBe('EMISSING_KEY');
    expect(codeOf(() => childEnv('subscription', { parentEnv: PARENT, apiKey: 'sk-x' }))).toBe('EOPTION');
    expect(codeOf(() => childEnv('subscription', { parentEnv: PARENT, set: { ANTHROPIC_API_KEY: 'sk-x' } }))).toBe('EOPTION');
    expect(codeOf(() => childEnv('bogus' as never, { parentEnv: PARENT }))).toBe('EOPTION');
  });
});
