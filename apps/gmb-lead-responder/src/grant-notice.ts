/**
 * When the provider refused the leads mailbox's OAuth 2 grant (revoked or expired), the run
 * exits 78 and the owner is told once a day (@jobs/mail/auth/grant-notice) over a channel that
 * does not need that grant: ALERT_WEBHOOK_URL, and mail through LEAD_SMTP_* when that logs in
 * with a password (LEAD_SMTP_AUTH=password). Nothing is sent on --dry-run.
 */
import type { Logger } from '@jobs/core/logger';
import { createAlertChannel } from '@jobs/mail/alert';
import { noticeRefusedGrant, refusedGrantOf } from '@jobs/mail/auth/grant-notice';
import { type ClientInputs, type LeadMailbox, leadSmtpOptions } from './clients.ts';

/** What the notice needs from the run. */
export interface LeadGrantNoticeInputs {
  readonly inputs: ClientInputs;
  readonly mailbox: LeadMailbox;
  readonly stateDir: string;
  readonly timeZone: string;
  readonly logger: Logger;
}

/** Tells the owner when `err` is a refused grant (once a day); a no-op for any other error. */
export async function tellOwnerOfRefusedGrant(err: unknown, n: LeadGrantNoticeInputs): Promise<void> {
  if (refusedGrantOf(err) === undefined) return;
  const c = n.inputs.scope.values;
  const mailOk = n.mailbox?.smtp?.auth === 'password';
  const channel = createAlertChannel({
    ...(mailOk ? { smtp: leadSmtpOptions(n.inputs, n.mailbox), to: c.LEAD_OWNER_ADDRESS, from: c.LEAD_ADDRESS } : {}),
    webhookUrl: c.ALERT_WEBHOOK_URL,
    logger: n.logger,
  });
  await noticeRefusedGrant({
    account: 'lead',
    jobLabel: 'The lead responder',
    channel,
    stateDir: n.stateDir,
    timeZone: n.timeZone,
    now: new Date(n.inputs.now()),
    domain: c.LEAD_ADDRESS.slice(c.LEAD_ADDRESS.lastIndexOf('@') + 1),
    keyFile: n.inputs.scope.file,
    logger: n.logger,
  });
}
