/**
 * Reading the owner's answer to an approval notice: who may answer (the owner's address, with
 * the trusted receiving server's Authentication-Results showing DKIM or SPF pass for the
 * owner's domain), which draft it is about (the token, checked against the draft as it is now),
 * and what it says: `send`, `drop`, or the owner's own text above the quoted draft. Every
 * refusal has a reason; none of them sends anything.
 */
import type { MailMessage } from '@jobs/mail/message';
import { splitReply } from '@jobs/mail/quote';
import { authenticated } from '../auth-results.ts';
import type { Ctx } from '../context.ts';
import type { LeadState } from '../lead-state.ts';
import { DRAFT_END, DRAFT_START } from './notice-text.ts';
import { ownText, quotedLines } from './own-text.ts';
import { type ApprovalToken, contentHash, draftRef, tokenMatches, tokenText } from './token.ts';

/** Why an answer is not acted on. */
export type IgnoreReason =
  | 'not-from-owner'
  | 'not-authenticated'
  | 'token-used'
  | 'token-expired'
  | 'no-held-draft'
  | 'token-mismatch'
  | 'quoted-draft-changed'
  | 'no-answer';

/** An answer that counts. */
export interface Verdict {
  readonly state: LeadState;
  readonly token: string;
  readonly action: 'send' | 'edit' | 'drop';
  readonly text?: string;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The owner's answer read against the journal: a verdict, or why it does not count. */
export function readAnswer(ctx: Ctx, message: MailMessage, token: ApprovalToken): Verdict | { ignored: IgnoreReason } {
  const settings = ctx.settings.approval!;
  const owner = ctx.settings.ownerAddress;
  if (message.from?.address.toLowerCase() !== owner || message.from.encodedWordSpoof) return { ignored: 'not-from-owner' };
  const trust = ctx.settings.authTrust;
  if (!trust || !authenticated(message.authenticationResults, owner.slice(owner.lastIndexOf('@') + 1), trust)) return { ignored: 'not-authenticated' };
  const text = tokenText(token);
  if (ctx.index.usedTokens.has(text)) return { ignored: 'token-used' };
  if (token.expires <= ctx.now()) return { ignored: 'token-expired' };
  const state = [...ctx.index.leads.values()].find((s) => s.status === 'held' && s.hold && draftRef(s.hold.draftId) === token.ref);
  if (!state?.hold) return { ignored: 'no-held-draft' };
  if (!tokenMatches(settings.secret, token, state.hold.draftId, contentHash(state.hold.draft))) return { ignored: 'token-mismatch' };
  // a quoted draft must be the draft as held: the owner approved what they saw
  const quoted = quotedLines(message.text).join('\n');
  const start = quoted.indexOf(DRAFT_START);
  if (start >= 0) {
    const end = quoted.indexOf(DRAFT_END, start);
    const seen = quoted.slice(start + DRAFT_START.length, end < 0 ? undefined : end);
    const draft = state.hold.draft;
    if (collapse(seen) !== collapse(`To: ${draft.to}\nSubject: ${draft.subject}\n\n${draft.text}`)) return { ignored: 'quoted-draft-changed' };
  }
  const word = collapse(splitReply(message.text).body).toLowerCase().replace(/[.!]+$/, '');
  if (word === 'send') return { state, token: text, action: 'send' };
  if (word === 'drop') return { state, token: text, action: 'drop' };
  const own = ownText(message.text);
  if (own === '') return { ignored: 'no-answer' };
  return { state, token: text, action: 'edit', text: own };
}
