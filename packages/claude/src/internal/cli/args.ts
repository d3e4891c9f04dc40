/**
 * What every `claude -p` run starts from, whoever starts it: the headless stream-json
 * arguments with the model named (never the CLI's default) and a turn cap, and the check that
 * an environment meant for the subscription carries nothing that would bill an API key.
 */
import { AUTH_OVERRIDE_VARS } from '@jobs/credentials/child-env';
import { ClaudeError } from '../../errors.ts';

/** Inputs of headlessArgs. */
export interface HeadlessArgsInput {
  model: string;
  maxTurns: number;
}

/**
 * `-p --output-format stream-json --verbose --include-partial-messages --model M --max-turns N`.
 * Partial messages keep the inactivity watchdog fed while a long reply streams.
 */
export function headlessArgs(i: HeadlessArgsInput): string[] {
  return ['-p', '--output-format', 'stream-json', '--verbose', '--include-partial-messages', '--model', i.model, '--max-turns', String(i.maxTurns)];
}

/**
 * Throws ClaudeError ECONFIG when `env` holds ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or a
 * cloud-provider switch: the CLI would bill that instead of the subscription. Names only in the
 * message (the values are credentials).
 */
export function assertSubscriptionEnv(env: Readonly<Record<string, string | undefined>>, option = 'env'): void {
  const overrides = AUTH_OVERRIDE_VARS.filter((name) => env[name] !== undefined);
  if (overrides.length === 0) return;
  throw new ClaudeError(
    'ECONFIG',
    `option ${option} carries ${overrides.join(', ')}: the claude CLI would bill that instead of the subscription. ` +
      "Build the env with childEnv('subscription', { parentEnv }), which removes them",
  );
}
