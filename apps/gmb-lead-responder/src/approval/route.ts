/**
 * The entry of an owner's answer into a pass: a message carrying an approval token (in
 * In-Reply-To, References or the subject tag) is read as an answer, never as a lead. An answer
 * that does not count is logged with its reason and left alone.
 */
import type { FetchedMessage } from '@jobs/mail/imap';
import type { MailMessage } from '@jobs/mail/message';
import type { Ctx } from '../context.ts';
import { record } from '../report.ts';
import { accept } from './act.ts';
import { readAnswer } from './answer.ts';
import { tokenOf } from './token.ts';

/** Handles `message` when it is an answer to an approval notice; false when it is not one. */
export async function routeAnswer(ctx: Ctx, m: FetchedMessage, message: MailMessage): Promise<boolean> {
  if (!ctx.settings.approval) return false;
  const token = tokenOf(message);
  if (!token) return false;
  const verdict = readAnswer(ctx, message, token);
  if ('ignored' in verdict) {
    const log = verdict.ignored === 'token-used' ? ctx.logger.info.bind(ctx.logger) : ctx.logger.warn.bind(ctx.logger);
    log({ uid: m.uid, reason: verdict.ignored, from: message.from?.address ?? null }, 'an answer to an approval notice was ignored: nothing sent');
    record(ctx.report, { key: m.key, uid: m.uid, action: 'skipped', reason: `approval-${verdict.ignored}` });
    return true;
  }
  await accept(ctx, verdict, m.key);
  return true;
}
