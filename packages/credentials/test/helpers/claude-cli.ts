// Test helper: asks the real claude CLI (`claude auth status`, offline) which auth it would use.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AuthReport } from '../../src/doctor.ts';

const require = createRequire(import.meta.url);
/** The CLI's launcher, from this package's devDependency. */
const CLAUDE = join(dirname(require.resolve('@anthropic-ai/claude-code/package.json')), 'bin', 'claude.exe');

/** The part of `claude auth status` that says who gets billed. */
export interface CliView {
  authMethod: string;
  apiProvider: string;
  apiKeySource?: string;
}

/** Runs `claude auth status --json` with exactly `env` (HOME inside it) and returns its view. */
export function claudeAuthStatus(env: Record<string, string>, home: string): Promise<CliView> {
  return new Promise((resolve, reject) => {
    execFile(CLAUDE, ['auth', 'status', '--json'], { env: { ...env, HOME: home }, cwd: home, timeout: 30_000 }, (err, stdout) => {
      // It exits 1 when logged out; the JSON is still the answer.
      if (err && stdout === '') {
        reject(err);
        return;
      }
      const j = JSON.parse(stdout) as CliView;
      resolve({ authMethod: j.authMethod, apiProvider: j.apiProvider, ...(j.apiKeySource ? { apiKeySource: j.apiKeySource } : {}) });
    });
  });
}

/**
 * The CLI views consistent with a doctor report. The CLI reports ANTHROPIC_AUTH_TOKEN and
 * CLAUDE_CODE_OAUTH_TOKEN both as `oauth_token`, and with ANTHROPIC_API_KEY beside an
 * apiKeyHelper it says `api_key_helper` while naming ANTHROPIC_API_KEY as the key source.
 */
export function expectedCliView(report: AuthReport): CliView[] {
  const first = { apiProvider: 'firstParty' };
  const keySource = report.shadowed.some((c) => c.path === 'api-key') ? 'ANTHROPIC_API_KEY' : undefined;
  const hasHelper = report.shadowed.some((c) => c.path === 'api-key-helper');
  switch (report.path) {
    case 'bedrock':
    case 'vertex':
    case 'foundry': {
      const key = report.shadowed.find((c) => c.path === 'api-key') ? 'ANTHROPIC_API_KEY' : hasHelper ? 'apiKeyHelper' : undefined;
      return [{ authMethod: 'third_party', apiProvider: report.path, ...(key ? { apiKeySource: key } : {}) }];
    }
    case 'auth-token':
    case 'oauth-token': {
      const key = keySource ?? (hasHelper ? 'apiKeyHelper' : undefined);
      return [{ authMethod: 'oauth_token', ...first, ...(key ? { apiKeySource: key } : {}) }];
    }
    case 'api-key':
      return [
        { authMethod: 'api_key', ...first, apiKeySource: 'ANTHROPIC_API_KEY' },
        { authMethod: 'api_key_helper', ...first, apiKeySource: 'ANTHROPIC_API_KEY' },
      ];
    case 'api-key-helper':
      return [{ authMethod: 'api_key_helper', ...first, apiKeySource: 'apiKeyHelper' }];
    case 'subscription-login':
      return [{ authMethod: 'claude.ai', ...first }];
    case 'none':
      return [{ authMethod: 'none', ...first }];
  }
}
