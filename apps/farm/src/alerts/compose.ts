/** The failure and recovery notices: what the owner reads in the mail and the webhook. */
import { randomUUID } from 'node:crypto';
import type { Alert } from '@jobs/mail/alert';
import type { FailureReason } from './reason.ts';

/** A run the notice is about. */
export interface NoticeRun {
  job: string;
  /** The jobs-file instance the run belongs to, when it is one. */
  instance?: string | undefined;
  /** What failed, when it is not a job's run (`the farm schedule daemon`). */
  what?: string;
  host: string;
  startedAt: Date;
  endedAt: Date;
  exitCode: number | null;
  /** How it was started: `farm schedule`, cron, a systemd unit. */
  trigger: string;
  /** The command that shows the run's log. */
  logCommand: string;
}

const when = (d: Date): string => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The run's subject: `digest` / `acme (digest)`, and the sentence's `the digest job` / `the acme instance of the digest job`. */
function names(run: NoticeRun): { short: string; long: string } {
  if (run.what !== undefined) return { short: run.instance ?? run.job, long: run.what };
  if (run.instance !== undefined) return { short: `${run.instance} (${run.job})`, long: `the ${run.instance} instance of the ${run.job} job` };
  return { short: run.job, long: `the ${run.job} job` };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const who = (run: NoticeRun) => ({ job: run.job, ...(run.instance !== undefined ? { instance: run.instance } : {}), host: run.host });

/** The alert for a failed run. */
export function failureNotice(run: NoticeRun, reason: FailureReason, domain: string, id: () => string = randomUUID): Alert {
  const n = names(run);
  const text = [
    `${cap(n.long)} failed on ${run.host} at ${when(run.endedAt)}${run.what === undefined ? ` (started ${when(run.startedAt)} by ${run.trigger})` : ''}.`,
    '',
    `Error: ${reason.code}${run.exitCode !== null ? ` (exit ${run.exitCode})` : ''}`,
    reason.message ? `Message: ${reason.message}` : '',
    `Fix: ${reason.fix}`,
    '',
    'The log of the run:',
    `  ${run.logCommand}`,
    'All jobs at a glance:',
    '  pnpm farm status',
    '',
    `You get this once a day while the error stays the same${run.what === undefined ? ', and one mail when it succeeds again' : ''}.`,
  ].filter((l, i, a) => l !== '' || a[i - 1] !== '');
  return {
    subject: `[farm] ${n.short} failed on ${run.host}: ${reason.code}`,
    text: `${text.join('\n')}\n`,
    messageId: `<farm-alert-${id()}@${domain}>`,
    fields: { event: 'failure', ...who(run), code: reason.code, fix: reason.fix, at: run.endedAt.toISOString() },
  };
}

/** The notice for the first success after an alerted failure. */
export function recoveryNotice(run: NoticeRun, since: string | undefined, domain: string, id: () => string = randomUUID): Alert {
  const n = names(run);
  const text = `${cap(n.long)} succeeded again on ${run.host} at ${when(run.endedAt)}${since ? `; it had been failing since ${when(new Date(since))}` : ''}.\n`;
  return {
    subject: `[farm] ${n.short} recovered on ${run.host}`,
    text,
    messageId: `<farm-recovery-${id()}@${domain}>`,
    fields: { event: 'recovery', ...who(run), at: run.endedAt.toISOString() },
  };
}
