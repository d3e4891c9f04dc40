/**
 * `farm doctor [--probe]`: which billing path each way of running Claude takes on this host
 * (the claude CLI as the user would start it, the farm's subscription child, the API path),
 * the ANTHROPIC_API_KEY trap in shell start-up files, repos.env's mode and git status.
 * `--probe` runs one tiny `claude -p` with the subscription child's env and reads its
 * apiKeySource (it costs one short message on the subscription).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { diagnoseAuth, formatAuthReport } from '@jobs/credentials/doctor';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { createRedactor } from '@jobs/credentials/redact';
import { loadScope } from '@jobs/credentials/scope';
import { farmSchema } from '../config.ts';
import { type CliDeps, withUrlPasswords } from './common.ts';
import { headlessArgs, runClaudeCli } from '@jobs/claude/cli-run';
import { DEFAULT_MODEL } from '@jobs/claude/models';
import { subscriptionEnv } from '../paths/subscription.ts';
import type { FarmContext } from '../context.ts';

const HELP = `Usage: farm doctor [--probe] [--json] [--env-file PATH]

Shows which billing path each way of running Claude would take here.
Exit 0 when the farm's subscription path bills the subscription; 1 when it would bill
something else or claude is not logged in (its runs would fail).

Options:
  --probe          run one tiny "claude -p" with the farm's subscription env and report its apiKeySource
  --json           one JSON object on stdout
  --env-file PATH  repos.env to check
  -h, --help`;

/**
 * Runs the doctor; exit 1 when the farm's subscription child would not bill the subscription
 * or has no login at all (its runs would fail), 0 otherwise.
 */
export async function doctorCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { probe: { type: 'boolean' }, json: { type: 'boolean' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  // The file is found as every command finds it (--env-file, $REPOS_ENV, <workspace>/repos.env),
  // so a missing one is reported for what it is, not as a bad --env-file.
  const runtime = readRuntimeEnv(deps.env);
  let reposEnv = values['env-file'] || runtime.REPOS_ENV || join(deps.workspaceRoot, 'repos.env');
  // The doctor reports a broken repos.env instead of stopping at it.
  let claudeBin = 'claude';
  let baseURL: string | undefined;
  let configError: string | undefined;
  try {
    const scope = await loadScope({ schema: farmSchema, envFile: values['env-file'], reposEnvVar: runtime.REPOS_ENV, workspaceRoot: deps.workspaceRoot, cwd: deps.cwd });
    reposEnv = scope.file;
    if (deps.redaction) deps.redaction.redact = createRedactor(withUrlPasswords(scope.secrets));
    claudeBin = scope.values.FARM_CLAUDE_BIN;
    baseURL = scope.values.ANTHROPIC_BASE_URL;
    if (scope.values.ANTHROPIC_API_KEY === undefined) configError = 'no ANTHROPIC_API_KEY: the API path and fallback are off';
  } catch (err) {
    configError = (err as Error).message;
  }
  const asUser = await diagnoseAuth({ env: deps.env, home: deps.home, cwd: deps.cwd, ...(existsSync(reposEnv) ? { reposEnv } : {}) });
  const ctxLike = { parentEnv: deps.env, ...(baseURL !== undefined ? { baseURL } : {}) } as FarmContext;
  const { env: subEnv, removed } = subscriptionEnv(ctxLike);
  const asFarm = await diagnoseAuth({ env: subEnv, home: deps.home, cwd: deps.cwd });
  const report: Record<string, unknown> = {
    claudeAsYouRunIt: { path: asUser.path, billing: asUser.billing, source: asUser.source, explanation: asUser.explanation },
    farmSubscriptionChild: { path: asFarm.path, billing: asFarm.billing, source: asFarm.source, removedFromEnv: removed },
    apiPath: configError === undefined ? 'ANTHROPIC_API_KEY from repos.env, passed to each API child alone' : configError,
    shellExports: asUser.shellExports,
    reposEnv: asUser.reposEnv ?? { file: reposEnv, exists: false },
    warnings: asUser.warnings,
  };
  // billing "none": no login at all, so every subscription run would fail with ENOT_LOGGED_IN.
  const notLoggedIn = asFarm.billing === 'none';
  let ok = asFarm.billing === 'subscription';
  if (values.probe) {
    const run = await runClaudeCli({
      bin: claudeBin,
      args: [...headlessArgs({ model: DEFAULT_MODEL, maxTurns: 1 }), '--no-session-persistence'],
      env: subEnv,
      cwd: deps.cwd,
      stdin: 'Reply with the single word: ok',
      idleTimeoutMs: 60_000,
    });
    const src = run.summary.init?.apiKeySource ?? null;
    // The runner refuses before spawning when the settings would bill someone else: no init event then.
    report.probe = { apiKeySource: src, loggedIn: !run.summary.authFailed, exitCode: run.exitCode, stopped: run.killed ?? run.authRefused?.path ?? null };
    if (src !== 'none' || run.summary.authFailed) ok = false;
  }
  if (values.json) {
    deps.stdout.write(`${JSON.stringify({ ok, ...report })}\n`);
    return ok ? 0 : 1;
  }
  const w = (s: string): void => {
    deps.stdout.write(`${s}\n`);
  };
  w('claude as you run it in this shell:');
  w(formatAuthReport(asUser));
  w('');
  w(`farm's subscription child: ${asFarm.billing} (${asFarm.source})`);
  if (removed.length > 0) w(`  removed from its env: ${removed.join(', ')} (they would bill the API)`);
  w(`farm's API path: ${report.apiPath as string}`);
  if (report.probe) w(`probe: apiKeySource=${String((report.probe as { apiKeySource: unknown }).apiKeySource)}`);
  if (ok) w('OK: the subscription path bills the subscription.');
  else if (notLoggedIn || (report.probe as { loggedIn?: boolean } | undefined)?.loggedIn === false) {
    w('PROBLEM: claude is not logged in here, so the subscription path will fail (ENOT_LOGGED_IN). Run "claude /login", or set CLAUDE_CODE_OAUTH_TOKEN from "claude setup-token".');
  } else w('PROBLEM: the subscription path would not bill the subscription; fix the source above.');
  return ok ? 0 : 1;
}
