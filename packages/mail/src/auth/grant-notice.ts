/**
 * The owner's notice when a mailbox's OAuth 2 grant was refused by the token endpoint
 * (`invalid_grant`: revoked by the user, expired, or spent): the job exits 78 on every run
 * until someone runs `pnpm mailbox login <job>`, and a job scheduled every few minutes must not
 * mail the owner each time. The notice goes through the suite's alert channel (alert.ts), at
 * most once a day per mailbox, by the suite's once-a-day rule (alert-state.ts, a record at
 * `<state dir>/alerts/grant-<mailbox>.json`). The caller builds a channel that does not need
 * the refused grant (a webhook, or SMTP with a password); with none, it is logged and nothing
 * is recorded. Never throws: the run's outcome (exit 78) stands whatever happens here.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '@jobs/core/logger';
import type { AlertChannel } from '../alert.ts';
import { dayIn, decide, nextState, readAlertState, writeAlertState } from '../alert-state.ts';
import { MailError } from '../errors.ts';
import { loginHint } from './grant.ts';

/** Token-endpoint answers that mean the grant itself is gone (a person must log in again). */
const REFUSED = new Set(['invalid_grant', 'unauthorized_client']);

/** The refused-grant MailError in `err` or its causes (EGRANT from the token endpoint), else undefined. */
export function refusedGrantOf(err: unknown): MailError | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof MailError && e.code === 'EGRANT' && e.originalCode !== undefined && REFUSED.has(e.originalCode)) return e;
  }
  return undefined;
}

/** What noticeRefusedGrant did. */
export type GrantNoticeOutcome = 'sent' | 'already-told-today' | 'no-channel' | 'not-delivered';

/** What the notice needs. */
export interface GrantNoticeOptions {
  /** The grant's mailbox: `digest`, `lead`. */
  readonly account: string;
  /** The job's name for the owner: `The digest`, `The lead responder`. */
  readonly jobLabel: string;
  readonly channel: AlertChannel;
  /** JOBS_STATE_DIR (the record goes under alerts/). */
  readonly stateDir: string;
  /** IANA zone of the owner's "day". */
  readonly timeZone: string;
  readonly now: Date;
  /** Domain of the notice's Message-ID. */
  readonly domain: string;
  /** Where the job's keys live (named in the notice). */
  readonly keyFile?: string | undefined;
  readonly logger: Logger;
}

/** The record of a mailbox's grant notices. */
export function grantNoticePath(stateDir: string, account: string): string {
  return join(stateDir, 'alerts', `grant-${account}.json`);
}

/** Tells the owner, once a day per mailbox, that the grant of `o.account` was refused. */
export async function noticeRefusedGrant(o: GrantNoticeOptions): Promise<GrantNoticeOutcome> {
  try {
    const file = grantNoticePath(o.stateDir, o.account);
    const state = await readAlertState(file);
    const day = dayIn(o.now, o.timeZone);
    if (decide(state, { ok: false, code: 'EGRANT' }, day) === 'none') return 'already-told-today';
    if (!o.channel.configured) {
      o.logger.warn({ account: o.account }, 'no channel to tell the owner about the refused grant without it: set ALERT_WEBHOOK_URL, or a password for the job\'s SMTP');
      return 'no-channel';
    }
    const subject = `${o.jobLabel} cannot log in to the ${o.account} mailbox: log in again`;
    const text = [
      `${o.jobLabel} stopped: the mail provider refused its OAuth 2 grant for the ${o.account} mailbox (revoked, expired, or the password was changed).`,
      '',
      `To fix it, on the machine that runs the job: ${loginHint(o.account)}${o.keyFile ? ` (the job's keys are in ${o.keyFile})` : ''}.`,
      '',
      'Until then every run stops without reading or sending mail. You get this notice once a day while it lasts.',
    ].join('\n');
    const delivery = await o.channel.send({
      subject,
      text,
      messageId: `<grant-${o.account}-${day}-${randomUUID()}@${o.domain}>`,
      fields: { event: 'grant-refused', account: o.account, login: `pnpm mailbox login ${o.account}` },
    });
    if (!delivery.delivered) return 'not-delivered';
    await writeAlertState(file, nextState(state, 'alert', 'EGRANT', day, o.now));
    o.logger.info({ account: o.account, channels: o.channel.channels }, 'the owner was told the grant was refused');
    return 'sent';
  } catch (err) {
    o.logger.error({ err, account: o.account }, 'the refused-grant notice failed; the run\'s outcome stands');
    return 'not-delivered';
  }
}
