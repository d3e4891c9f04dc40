/**
 * Why a job failed, in one line: its `code` and `message` from its --json output (an `error`
 * object) or from the last JSON log line on its stderr that carries an error (`err.code`), else
 * from how it ended (killed at its time limit, exit status). Each well-known code gets the one
 * thing to do about it.
 */

/** A failure's reason. */
export interface FailureReason {
  code: string;
  message: string;
  /** The one-line fix for the code. */
  fix: string;
}

/** How a run ended, as the runner saw it. */
export interface RunEnd {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderrTail: string;
}

const FIXES: Record<string, string> = {
  ETIMEOUT_KILLED: 'the job ran past its time limit: look at what it was waiting on in the log; raise FARM_JOB_TIMEOUT_SECONDS (or the unit\'s TimeoutStartSec) if the work is just long',
  EKILLED: 'the job was killed from outside (signal, out of memory): check the log and free memory (free -m)',
  ECONFIG: 'a repos.env key is missing or malformed: the message names it; run the job with -- --dry-run after fixing it',
  EAUTH: 'a password or API key was refused: update it in repos.env (IMAP/SMTP app password, ANTHROPIC_API_KEY)',
  ECONNECTION: 'a server could not be reached: check the host and port in repos.env and the network',
  ETIMEOUT: 'a server stopped answering: check that it is up; the next run retries',
  ETEMP: 'the mail server refused for now (4xx): the next run retries',
  ENOSPC: 'the disk is full: free space under the state folder (df -h)',
  EACCES: 'a file or folder is not writable by the job\'s user: check the state folder\'s owner and mode',
  ELOCKED: 'another run still holds the job\'s lock: see farm status for its holder',
  EBUDGET: 'the run would cross its budget: raise the budget or wait for tomorrow',
  ESPENDLIMIT: 'the Anthropic account reached its spend limit: raise it in the console',
  EBILLING: 'the Anthropic account has a billing problem: check the console\'s billing page',
  ERATELIMIT: 'the API rate limit was hit: the next run retries; spread the schedule if it keeps happening',
  EOVERLOADED: 'the API was overloaded: the next run retries',
  ENOMAILBOX: 'the mailbox named in repos.env does not exist on the server: fix its name',
  EUIDVALIDITY: 'the mailbox was recreated on the server: the job starts over from its checkpoint rules',
  EPERM_SMTP: 'the SMTP server refused the message for good (5xx): its reply is in the message',
  EJOB: 'the job could not be started: check FARM_JOB_*_SCRIPT and the checkout',
};

/** The one-line fix for a code (a generic one for codes the suite does not know). */
export function fixFor(code: string): string {
  if (code.startsWith('EXIT_78')) return FIXES.ECONFIG as string;
  return FIXES[code] ?? 'read the log (command below) for the error and its context';
}

/** The code and message of an `{ code, message }`-like value, if it has a string code. */
function errorOf(v: unknown): { code: string; message: string } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  for (const inner of [o.error, o.err]) {
    const e = errorOf(inner);
    if (e) return e;
  }
  if (typeof o.code !== 'string' || !/^E[A-Z0-9_]+$/.test(o.code)) return undefined;
  const message = typeof o.message === 'string' ? o.message : typeof o.msg === 'string' ? o.msg : '';
  return { code: o.code, message };
}

/** The last line of `text` that is a JSON object holding an error code. */
function lastJsonError(text: string): { code: string; message: string } | undefined {
  const lines = text.split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const e = errorOf(JSON.parse(line));
      if (e) return e;
    } catch {
      // a line cut by the tail's start, or plain text: not a log line
    }
  }
  return undefined;
}

/** The reason of a failed run. */
export function failureReason(r: RunEnd, timeoutSeconds?: number): FailureReason {
  if (r.timedOut) {
    const message = `killed at its time limit${timeoutSeconds !== undefined ? ` (${timeoutSeconds} s)` : ''}`;
    return { code: 'ETIMEOUT_KILLED', message, fix: fixFor('ETIMEOUT_KILLED') };
  }
  const found = lastJsonError(r.stdout) ?? lastJsonError(r.stderrTail);
  const code = found?.code ?? `EXIT_${r.exitCode ?? 'SIGNAL'}`;
  const lastLine = r.stderrTail.trim().split('\n').pop() ?? '';
  const message = found?.message || (lastLine.startsWith('{') ? '' : lastLine) || `exited with status ${r.exitCode ?? 'none (signal)'}`;
  return { code, message: message.slice(0, 300), fix: fixFor(code) };
}
