/**
 * When the provider refused the digest mailbox's OAuth 2 grant (revoked or expired), the run
 * exits 78 and the owner is told once a day (@jobs/mail/auth/grant-notice) over a channel that
 * does not need that grant: ALERT_WEBHOOK_URL, and mail to DIGEST_TO through SMTP_* when that
 * logs in with a password (SMTP_AUTH=password). Nothing is sent on --dry-run.
 */
import { createAlertChannel } from '@jobs/mail/alert';
import { noticeRefusedGrant, refusedGrantOf } from '@jobs/mail/auth/grant-notice';
import type { Setup } from './setup.ts';
import { type DigestMailbox, senderOptions } from './transports.ts';

/** Tells the owner when `err` is a refused grant (once a day); a no-op for any other error. */
export async function tellOwnerOfRefusedGrant(err: unknown, s: Setup, mailbox: DigestMailbox, now: () => number): Promise<void> {
  if (refusedGrantOf(err) === undefined) return;
  const e = s.env;
  const mailOk = mailbox?.smtp?.auth === 'password' && e.DIGEST_TO !== undefined;
  const channel = createAlertChannel({
    ...(mailOk ? { smtp: senderOptions(s, mailbox), to: e.DIGEST_TO, from: e.DIGEST_FROM } : {}),
    webhookUrl: e.ALERT_WEBHOOK_URL,
    logger: s.log,
  });
  const address = e.DIGEST_FROM ?? e.DIGEST_TO ?? 'digest@localhost';
  await noticeRefusedGrant({
    account: 'digest',
    jobLabel: 'The digest',
    channel,
    stateDir: s.stateDir,
    timeZone: e.DIGEST_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    now: new Date(now()),
    domain: address.slice(address.lastIndexOf('@') + 1),
    keyFile: s.envFile,
    logger: s.log,
  });
}
