/**
 * A finished CLI run classified into a ClaudeError, or undefined when it produced a usable
 * reply. Classification is by what we did (the kill reason), the spawn error code, and the
 * machine fields of the stream (`error`, `api_error_status`, `subtype`, `is_error`); the
 * human text only appears, redacted and cut short, inside messages.
 */
import { AuthError, ClaudeError, type ClaudeErrorCode, RateLimitError } from '../../errors.ts';
import type { CliRun } from '../../cli-run.ts';

/** What the messages need. */
export interface ClassifyContext {
  model: string;
  bin: string;
  redact: (s: string) => string;
  nowMs: number;
  idleTimeoutMs: number;
  /** The apiKeySource the run required (runClaudeCli's expectKeySource). Default `none`. */
  expectKeySource?: string;
  /** The setting that sets the watchdog, named in a stall's message. Default `idleTimeoutMs`. */
  idleSetting?: string;
}

const short = (s: string, redact: (s: string) => string): string => redact(s.trim()).slice(0, 300);

/** The ClaudeError code for an API status the CLI reports in `api_error_status`. */
function codeForStatus(status: number): ClaudeErrorCode {
  if (status === 529) return 'EOVERLOADED';
  if (status === 408) return 'ETIMEOUT';
  if (status === 409) return 'ECONFLICT';
  if (status >= 500) return 'ESERVER';
  if (status === 400 || status === 422) return 'EBADREQUEST';
  if (status === 402) return 'EBILLING';
  if (status === 404) return 'ENOTFOUND';
  if (status === 413) return 'ETOOLARGE';
  return 'ECLI';
}

/** Classifies a run (see file comment). */
export function classifyCliRun(run: CliRun, c: ClassifyContext): ClaudeError | undefined {
  const s = run.summary;
  const base = { model: c.model, requestId: s.lastRequestId };
  if (run.spawnError) {
    return new ClaudeError(
      'ECLI',
      `could not start the claude CLI at ${JSON.stringify(c.bin)} (${run.spawnError.code ?? run.spawnError.name}): ` +
        'install Claude Code, or point FARM_CLAUDE_BIN / JOBS_CLAUDE_BIN (option bin) at it',
      { ...base, cause: run.spawnError },
    );
  }
  if (run.authRefused) {
    const a = run.authRefused;
    return new ClaudeError(
      'EAUTH_PATH',
      `the claude CLI was not started: with this environment and settings it would take the ${a.path} auth path ` +
        `(${a.source}), billed ${a.billing === 'cloud' ? 'to a cloud account' : a.billing === 'gateway' ? 'by a gateway' : 'to the API'}, ` +
        'not the subscription. Remove it there, or run the task on the API path; "pnpm farm doctor" shows every layer',
      base,
    );
  }
  if (run.killed === 'key-source') {
    const src = JSON.stringify(s.init?.apiKeySource ?? 'unknown');
    const expected = c.expectKeySource ?? 'none';
    if (expected !== 'none') {
      return new ClaudeError('EAPIKEY_SOURCE', `the claude CLI reported apiKeySource ${src} where "${expected}" was required; it was stopped. Run "pnpm farm doctor"`, base);
    }
    return new ClaudeError(
      'EAPIKEY_SOURCE',
      `the claude CLI reported apiKeySource ${src}, not "none": it would have billed ` +
        'the API instead of the subscription, so it was stopped before any request. Something gives it a key: a wrapper ' +
        'script around claude, an "env" block or apiKeyHelper in its settings, or ANTHROPIC_API_KEY in its environment; ' +
        'run "pnpm farm doctor" to find it',
      base,
    );
  }
  if (run.killed === 'aborted') return new ClaudeError('EABORTED', 'the call was aborted by the caller; the claude CLI was stopped', base);
  if (run.killed === 'stall') {
    const secs = Math.round((run.stalledForMs ?? c.idleTimeoutMs) / 1000);
    return new ClaudeError(
      'ESTALL',
      `the claude CLI sent no event for ${secs} s (watchdog ${c.idleTimeoutMs} ms); its process group was killed. ` +
        `Try again later, or raise ${c.idleSetting ?? 'idleTimeoutMs'} if replies are legitimately slow`,
      base,
    );
  }
  if (run.killed === 'timeout') {
    return new ClaudeError('ETIMEOUT', `the claude CLI did not finish within the call's time limit (option timeoutMs); it was killed`, base);
  }
  if (s.authFailed) {
    const message =
      s.authStatus === undefined
        ? 'the claude CLI is not logged in for this user: run "claude /login" (or set CLAUDE_CODE_OAUTH_TOKEN from ' +
          '"claude setup-token") as the user the job runs as, or run the job on the API path'
        : `the subscription login was refused (${s.authStatus}): log in again with "claude /login", or run the job on the API path`;
    return new AuthError('EAUTH', message, { ...base, type: 'authentication_failed', ...(s.authStatus ? { status: s.authStatus } : {}) });
  }
  if (s.rateLimited) {
    const resetsMs = s.rateLimitResetsAt === undefined ? undefined : s.rateLimitResetsAt * 1000;
    const when = resetsMs === undefined ? '' : ` until ${new Date(resetsMs).toISOString()}`;
    return new RateLimitError('ERATELIMIT', `the subscription's rate limit refused the call${when}: wait, or run the job on the API path`, {
      ...base,
      status: 429,
      type: 'rate_limit',
      ...(resetsMs !== undefined && resetsMs > c.nowMs ? { retryAfterMs: resetsMs - c.nowMs } : {}),
    });
  }
  const r = s.result;
  if (r === undefined) {
    if (run.exitCode === 0) {
      return new ClaudeError('ENO_RESULT', 'the claude CLI exited 0 without a result event: treated as a failure, not an empty reply', base);
    }
    return new ClaudeError(
      'ECLI',
      `the claude CLI exited with ${run.exitCode ?? run.signal} and no result: ${short(run.stderrTail, c.redact) || '(no stderr)'}`,
      base,
    );
  }
  if (r.subtype === 'success' && r.is_error !== true) return undefined;
  const status = typeof r.api_error_status === 'number' ? r.api_error_status : undefined;
  const detail = r.result ? `: ${short(r.result, c.redact)}` : '';
  if (status === 401 || status === 403) {
    return new AuthError(status === 401 ? 'EAUTH' : 'EPERMISSION', `the subscription login was refused (${status})${detail}`, { ...base, status });
  }
  if (status === 429) return new RateLimitError('ERATELIMIT', `rate limited (429)${detail}`, { ...base, status });
  if (status !== undefined) return new ClaudeError(codeForStatus(status), `the API answered the claude CLI with ${status}${detail}`, { ...base, status });
  return new ClaudeError('ECLI', `the claude CLI ended with ${r.subtype ?? 'no subtype'}${r.is_error ? ' (is_error)' : ''}${detail}`, base);
}
