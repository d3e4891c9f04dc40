/**
 * Tells the owner about a run's outcome when the rule says so (state.ts): builds the alert
 * channel of @jobs/mail/alert from the alert keys, sends the failure or recovery notice, and
 * records it only once a channel took it (a notice no channel took is tried again next run).
 */
import type { Logger } from '@jobs/core/logger';
import { createAlertChannel } from '@jobs/mail/alert';
import { type AlertConfig, alertSmtp } from './config.ts';
import { failureNotice, type NoticeRun, recoveryNotice } from './compose.ts';
import type { FailureReason } from './reason.ts';
import { runKey } from '../history.ts';
import { type AlertDecision, alertStatePath, dayIn, decide, nextState, readAlertState, writeAlertState } from './state.ts';

/** What the alerts need around them. */
export interface AlertDeps {
  cfg: AlertConfig & { FARM_TIMEZONE?: string | undefined };
  farmDir: string;
  logger: Logger;
  fetch?: typeof fetch;
}

/** What was done about one outcome. */
export type NotifyResult = { decision: AlertDecision; sent: boolean; channels: string[] };

/** The channel for these keys. */
export function channelOf(d: AlertDeps) {
  return createAlertChannel({
    smtp: alertSmtp(d.cfg),
    to: d.cfg.ALERT_TO,
    from: d.cfg.ALERT_FROM,
    webhookUrl: d.cfg.ALERT_WEBHOOK_URL,
    logger: d.logger,
    ...(d.fetch ? { fetch: d.fetch } : {}),
  });
}

/** Decides, sends and records the notice for `run`'s outcome. Never throws. */
export async function notifyOutcome(d: AlertDeps, run: NoticeRun, reason: FailureReason | undefined): Promise<NotifyResult> {
  const channel = channelOf(d);
  const file = alertStatePath(d.farmDir, runKey(run.job, run.instance));
  try {
    const state = await readAlertState(file);
    const day = dayIn(run.endedAt, d.cfg.FARM_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
    const decision = decide(state, reason === undefined ? { ok: true } : { ok: false, code: reason.code }, day);
    if (decision === 'none') return { decision, sent: false, channels: [] };
    if (!channel.configured) {
      d.logger.debug({ job: run.job, instance: run.instance, decision }, 'no alert channel configured (ALERT_TO with SMTP_HOST, or ALERT_WEBHOOK_URL)');
      return { decision, sent: false, channels: [] };
    }
    const domain = (d.cfg.ALERT_FROM ?? d.cfg.ALERT_TO ?? 'farm@localhost').split('@')[1] ?? 'localhost';
    const notice = decision === 'alert' && reason ? failureNotice(run, reason, domain) : recoveryNotice(run, state.since, domain);
    const delivery = await channel.send(notice);
    const channels = [...(delivery.mail?.ok ? ['mail'] : []), ...(delivery.webhook?.ok ? ['webhook'] : [])];
    if (delivery.delivered) await writeAlertState(file, nextState(state, decision, reason?.code, day, run.endedAt));
    d.logger.info({ job: run.job, instance: run.instance, decision, channels, delivered: delivery.delivered }, decision === 'alert' ? 'failure alert' : 'recovery notice');
    return { decision, sent: delivery.delivered, channels };
  } catch (err) {
    d.logger.error({ err, job: run.job, instance: run.instance }, 'the alert step failed; the run\'s outcome stands');
    return { decision: 'none', sent: false, channels: [] };
  }
}
