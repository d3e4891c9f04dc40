/**
 * The repos.env keys of the failure alerts (all optional): the owner's address, the SMTP block
 * every job shares (SMTP_*), a webhook and a healthchecks-style ping URL per job. Webhook and
 * ping URLs carry their token in the path, so they are secrets (redacted from logs).
 */
import * as z from 'zod';
import type { SmtpSenderOptions } from '@jobs/mail/smtp';
import { smtpOptionsFrom } from '@jobs/mail/transport-settings';
import type { JobName } from '../jobs.ts';

const url = z.url({ protocol: /^https?$/ });

/** The alert keys, merged into farm's repos.env schema. */
export const ALERT_KEYS = {
  /** Who gets failure and recovery mails. Unset: no mail. */
  ALERT_TO: z.email().optional(),
  /** Their sender. Default: ALERT_TO. */
  ALERT_FROM: z.email().optional(),
  /** JSON POST per alert (Slack incoming webhook, ntfy, ...). */
  ALERT_WEBHOOK_URL: url.meta({ secret: true }).optional(),
  /** healthchecks-style check of the digest: `<url>/start`, `<url>`, `<url>/fail`. */
  ALERT_PING_URL_DIGEST: url.meta({ secret: true }).optional(),
  /** The same for the lead responder. */
  ALERT_PING_URL_LEAD_RESPONDER: url.meta({ secret: true }).optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_TLS: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
} as const;

/** The parsed alert keys. */
export type AlertConfig = z.output<ReturnType<typeof z.object<typeof ALERT_KEYS>>>;

/** The SMTP options for alert mail, or undefined when ALERT_TO or SMTP_HOST is unset. */
export function alertSmtp(cfg: AlertConfig): SmtpSenderOptions | undefined {
  if (cfg.ALERT_TO === undefined || cfg.SMTP_HOST === undefined) return undefined;
  return smtpOptionsFrom({ host: cfg.SMTP_HOST, port: cfg.SMTP_PORT, tls: cfg.SMTP_TLS, user: cfg.SMTP_USER, password: cfg.SMTP_PASSWORD, timeoutSeconds: 30 });
}

/** The ping URL of a job, if any. */
export function pingUrlOf(cfg: AlertConfig, job: JobName): string | undefined {
  return job === 'digest' ? cfg.ALERT_PING_URL_DIGEST : cfg.ALERT_PING_URL_LEAD_RESPONDER;
}
