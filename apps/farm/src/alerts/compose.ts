/** The failure and recovery notices: what the owner reads in the mail and the webhook. */
import { randomUUID } from 'node:crypto';
import type { Alert } from '@jobs/mail/alert';
import type { FailureReason } from './reason.ts';

/** A run the notice is about. */
export interface NoticeRun {
  job: string;
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

/** The alert for a failed run. */
export function failureNotice(run: NoticeRun, reason: FailureReason, domain: string, id: () => string = randomUUID): Alert {
  const text = [
    `The ${run.job} job failed on ${run.host} at ${when(run.endedAt)} (started ${when(run.startedAt)} by ${run.trigger}).`,
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
    'You get this once a day while the error stays the same, and one mail when the job succeeds again.',
  ].filter((l, i, a) => l !== '' || a[i - 1] !== '');
  return {
    subject: `[farm] ${run.job} failed on ${run.host}: ${reason.code}`,
    text: `${text.join('\n')}\n`,
    messageId: `<farm-alert-${id()}@${domain}>`,
    fields: { event: 'failure', job: run.job, host: run.host, code: reason.code, fix: reason.fix, at: run.endedAt.toISOString() },
  };
}

/** The notice for the first success after an alerted failure. */
export function recoveryNotice(run: NoticeRun, since: string | undefined, domain: string, id: () => string = randomUUID): Alert {
  const text = `The ${run.job} job succeeded again on ${run.host} at ${when(run.endedAt)}${since ? `; it had been failing since ${when(new Date(since))}` : ''}.\n`;
  return {
    subject: `[farm] ${run.job} recovered on ${run.host}`,
    text,
    messageId: `<farm-recovery-${id()}@${domain}>`,
    fields: { event: 'recovery', job: run.job, host: run.host, at: run.endedAt.toISOString() },
  };
}
