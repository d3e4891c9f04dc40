/**
 * The budget notice: what it says, and sending it once through the suite's alert channel
 * (@jobs/mail/alert, the one farm's failure alerts use): mail to COST_ALERT_TO and, when set,
 * a JSON POST to ALERT_WEBHOOK_URL.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@jobs/core/logger';
import type { BudgetCheck } from '@jobs/ledger/budget';
import type { AccessTokenSource } from '@jobs/mail/auth/token-source';
import { createAlertChannel } from '@jobs/mail/alert';
import type { OutgoingMessage } from '@jobs/mail/smtp';
import { smtpOptionsFrom } from '@jobs/mail/transport-settings';
import type { NotifyConfig } from './config.ts';
import { usd } from './table.ts';

/** The notice for a crossed budget. */
export function composeNotice(check: BudgetCheck, config: NotifyConfig, hostname: string, randomId: () => string = randomUUID): OutgoingMessage {
  const from = config.COST_ALERT_FROM ?? config.COST_ALERT_TO;
  const domain = from.split('@')[1] ?? 'localhost';
  const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  const apps = check.byApp.map((g) => `  ${g.key.padEnd(24)} ${usd(g.billedUsd).padStart(12)}  (${g.calls} calls)`);
  const text = [
    `Billed Claude API spend in the last 24 hours (${when(check.since)} to ${when(check.until)}): ${usd(check.spentUsd)}`,
    `Daily budget: ${usd(check.budgetUsd)} (over by ${usd(check.spentUsd - check.budgetUsd)})`,
    `Calls: ${check.calls}${check.unknownCalls > 0 ? ` (${check.unknownCalls} on a model with no price, not counted)` : ''}`,
    '',
    'By app:',
    ...apps,
    '',
    'Where it went, call site by call site:',
    '  pnpm cost report --since 24h --by call_site',
    '',
    `This is the only notice today (checked on ${hostname}); the check keeps exiting 1 while the budget is crossed.`,
  ].join('\n');
  return {
    from,
    to: config.COST_ALERT_TO,
    subject: `Claude API spend ${usd(check.spentUsd)} in 24 h: over the ${usd(check.budgetUsd)} daily budget`,
    text: `${text}\n`,
    messageId: `<cost-budget-${randomId()}@${domain}>`,
    autoSubmitted: 'auto-generated',
  };
}

/**
 * Sends the notice (AUTH XOAUTH2 when `tokens` is given); returns its Message-ID. Throws the mail's error (MailError) when the mail
 * was not taken: the day is recorded only then. A failed webhook is logged, never fatal.
 */
export async function sendNotice(
  message: OutgoingMessage,
  config: NotifyConfig,
  logger: Logger,
  now: () => Date,
  tokens?: AccessTokenSource,
): Promise<string> {
  const channel = createAlertChannel({
    // The suite's one settings-to-options mapping; tokens (XOAUTH2) win over a password.
    smtp: smtpOptionsFrom(
      {
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        tls: config.SMTP_TLS,
        user: config.SMTP_USER,
        ...(tokens !== undefined ? { tokens } : { password: config.SMTP_PASSWORD }),
        // A cron job should not hang for a minute on a dead server.
        timeoutSeconds: 15,
      },
      { socketTimeoutMs: 30_000, now: () => now().getTime() },
    ),
    to: message.to as string,
    from: message.from as string,
    webhookUrl: config.ALERT_WEBHOOK_URL,
    logger,
  });
  const r = await channel.send({ subject: message.subject, text: message.text, messageId: message.messageId, fields: { event: 'budget' } });
  if (r.mail?.ok) return r.mail.messageId;
  throw r.mail?.cause ?? new Error('the notice was not sent');
}
