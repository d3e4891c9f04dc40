/**
 * Before the first send of a run: find Sent and Drafts. A missing Sent folder does not stop
 * replies (they matter more than their copies): the run sends, journals each copy as not
 * filed, and the owner's notice says so once per reply. A missing Drafts folder stops the run
 * before anything is sent, since a reply that fails its checks would have nowhere to wait.
 */
import { isMailError } from '@jobs/mail/errors';
import type { Ctx } from './context.ts';
import { LeadError } from './errors.ts';

/** Resolves Sent and Drafts (see the module comment). Dry runs change nothing and skip it. */
export async function resolveFolders(ctx: Ctx): Promise<void> {
  if (ctx.mode === 'dry-run') return;
  try {
    await ctx.imap.folderPath('sent');
  } catch (err) {
    if (!isMailError(err, 'ENOMAILBOX')) throw err;
    ctx.sentUnavailable = `${err.message} (LEAD_IMAP_SENT_FOLDER in repos.env)`;
    ctx.logger.warn({ err }, 'no Sent folder: replies go out, their copies are not filed, the owner is told');
  }
  try {
    await ctx.imap.folderPath('drafts');
  } catch (err) {
    if (!isMailError(err, 'ENOMAILBOX')) throw err;
    throw new LeadError('ECONFIG', `${err.message}: set LEAD_IMAP_DRAFTS_FOLDER in repos.env to the Drafts folder's path; nothing was sent`, { cause: err });
  }
}
