/**
 * The suite's one alert channel: a short notice to the owner by mail (the SMTP sender) and, when
 * configured, as a JSON POST to a webhook. The webhook body carries `text` (what Slack incoming
 * webhooks and Mattermost read), `title` and `message` (what an ntfy template such as
 * `?tpl=1&t={{.title}}&m={{.message}}` reads) and the notice's own fields. Each channel is tried
 * once; a failed channel is reported, never thrown, so one dead channel does not silence the
 * other. The webhook URL carries a token: callers register it with their redactor, and it is
 * never logged here.
 */
import type { Logger } from '@jobs/core/logger';
import type { SmtpSenderOptions } from './smtp/options.ts';

/** One notice. */
export interface Alert {
  readonly subject: string;
  readonly text: string;
  /** Message-ID (`<id@domain>`), chosen by the caller. */
  readonly messageId: string;
  /** Extra JSON fields for the webhook (`job`, `event`, `code`...). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Where notices go. Every part is optional; with none the channel is not configured. */
export interface AlertChannelOptions {
  /** SMTP options (see smtpOptionsFrom); mail is sent when this and `to` are set. */
  readonly smtp?: SmtpSenderOptions | undefined;
  readonly to?: string | undefined;
  /** Default: `to`. */
  readonly from?: string | undefined;
  readonly webhookUrl?: string | undefined;
  /** Per request. Default 10 s. */
  readonly webhookTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly logger: Logger;
}

/** What each channel did: a Message-ID or HTTP status, or the error's message. */
export interface AlertDelivery {
  readonly mail?: { ok: true; messageId: string } | { ok: false; code: string; error: string; cause: unknown } | undefined;
  readonly webhook?: { ok: true; status: number } | { ok: false; error: string } | undefined;
  /** True when at least one configured channel took the notice. */
  readonly delivered: boolean;
}

/** A configured channel. */
export interface AlertChannel {
  /** True when mail or a webhook is set up. */
  readonly configured: boolean;
  /** Which channels are set up (for --dry-run and status). */
  readonly channels: readonly ('mail' | 'webhook')[];
  send(alert: Alert): Promise<AlertDelivery>;
}

/** Builds the channel; sends nothing until `send`. */
export function createAlertChannel(o: AlertChannelOptions): AlertChannel {
  const mailOn = o.smtp !== undefined && o.to !== undefined && o.to !== '';
  const hookOn = o.webhookUrl !== undefined && o.webhookUrl !== '';
  const channels = [...(mailOn ? (['mail'] as const) : []), ...(hookOn ? (['webhook'] as const) : [])];
  const doFetch = o.fetch ?? fetch;
  return {
    configured: channels.length > 0,
    channels,
    async send(alert) {
      const out: { mail?: AlertDelivery['mail']; webhook?: AlertDelivery['webhook'] } = {};
      if (mailOn && o.smtp !== undefined && o.to !== undefined) {
        try {
          // Loaded on the first notice: most runs send none, and nodemailer is not small.
          const { createSmtpSender } = await import('./smtp/sender.ts');
          const sender = createSmtpSender({ ...o.smtp, logger: o.logger });
          const r = await sender.send({ from: o.from ?? o.to, to: o.to, subject: alert.subject, text: alert.text, messageId: alert.messageId, autoSubmitted: 'auto-generated' });
          out.mail = { ok: true, messageId: r.messageId };
        } catch (err) {
          const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'EMAIL';
          out.mail = { ok: false, code, error: (err as Error).message, cause: err };
          o.logger.error({ err, to: o.to }, 'alert mail not sent');
        }
      }
      if (hookOn && o.webhookUrl !== undefined) {
        const body = JSON.stringify({ text: `${alert.subject}\n\n${alert.text}`, title: alert.subject, message: alert.text, ...alert.fields });
        try {
          const res = await doFetch(o.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(o.webhookTimeoutMs ?? 10_000) });
          await res.arrayBuffer().catch(() => undefined);
          out.webhook = res.ok ? { ok: true, status: res.status } : { ok: false, error: `HTTP ${res.status}` };
          if (!res.ok) o.logger.error({ status: res.status }, 'alert webhook refused the notice');
        } catch (err) {
          // The URL holds a token: the log names the failure, not the URL.
          out.webhook = { ok: false, error: (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message };
          o.logger.error({ error: out.webhook.error }, 'alert webhook not reached');
        }
      }
      return { ...out, delivered: out.mail?.ok === true || out.webhook?.ok === true };
    },
  };
}
