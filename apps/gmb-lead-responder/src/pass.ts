/**
 * One pass over the mailbox: fetch what arrived since the checkpoint, decide each message,
 * answer, hold or report the leads, save the checkpoint (never past a lead left for later),
 * then mail the owner if something waits for a person.
 */
import { BudgetExceededError, ClaudeError, StructuredOutputError } from '@jobs/claude/errors';
import type { FetchedMessage } from '@jobs/mail/imap';
import { parseMessage } from '@jobs/mail/parse';
import { checkContextFor, checkDraft } from './checks.ts';
import { classify, type Lead } from './classify.ts';
import type { Ctx } from './context.ts';
import { draftReply } from './draft.ts';
import { LeadError } from './errors.ts';
import { holdInDrafts } from './hold.ts';
import { allRepliesToday, DAILY_CAP, DAILY_TOTAL_CAP, repliesToday } from './lead-state.ts';
import { sendOwnerNotice } from './notice.ts';
import { sendApprovalNotices } from './approval/notice.ts';
import { routeAnswer } from './approval/route.ts';
import { record } from './report.ts';
import { buildReply, sendReply } from './send.ts';

type Handled = 'done' | 'deferred';

/** Runs one pass; throws LeadError for what stops the run (auth, state, mailbox). */
export async function runPass(ctx: Ctx): Promise<void> {
  const checkpoint = await ctx.checkpoints.load();
  const caps = await ctx.imap.mailboxCapabilities();
  ctx.report.keywords ??= caps.keywords;
  const run = await ctx.imap.fetchSince(checkpoint, { since: new Date(ctx.now() - ctx.settings.maxAgeMs) });
  let before: number | undefined;
  let current: number | undefined;
  try {
    for await (const m of run) {
      current = m.uid;
      ctx.report.messages++;
      if ((await handleMessage(ctx, m)) === 'deferred') before = Math.min(before ?? m.uid, m.uid);
      current = undefined;
    }
  } finally {
    if (ctx.mode !== 'dry-run') {
      const stop = [before, current].filter((x): x is number => x !== undefined);
      await ctx.checkpoints.save(run.checkpoint(stop.length ? { beforeUid: Math.min(...stop) } : {}));
    }
  }
  await sendOwnerNotice(ctx);
  await sendApprovalNotices(ctx);
}

function summaryOf(lead: Lead): string {
  const d = lead.details;
  const msg = d.message.replace(/\s+/g, ' ').slice(0, 200);
  // labels that missed the name or the phone: the start of the body, so the owner can call back
  const excerpt = (!d.name || !d.phone) && d.excerpt && d.excerpt !== msg ? `body: "${d.excerpt}"` : null;
  return [d.name ?? 'name unknown', (d.callback ?? d.phone) ? `phone ${d.callback ?? d.phone}` : null, d.email ? `email ${d.email}` : null, `via ${lead.sourceId}`, msg ? `"${msg}"` : null, excerpt]
    .filter(Boolean)
    .join(', ');
}

async function handleMessage(ctx: Ctx, m: FetchedMessage): Promise<Handled> {
  const parsed = await parseMessage(m.raw, { uid: m.uid });
  if (!parsed.ok) {
    ctx.report.quarantined++;
    ctx.logger.warn({ uid: m.uid, code: parsed.code, reason: parsed.reason }, 'message could not be parsed: left for a person');
    record(ctx.report, { key: m.key, uid: m.uid, action: 'skipped', reason: 'unparseable' });
    return 'done';
  }
  const message = parsed.message;
  if (await routeAnswer(ctx, m, message)) return 'done';
  const state = ctx.index.leads.get(m.key);
  if (state && state.status !== 'new') {
    record(ctx.report, { key: m.key, uid: m.uid, action: 'skipped', reason: `already-${state.status}` });
    return 'done';
  }
  const decision = classify(message, {
    rules: ctx.rules,
    key: m.key,
    flags: m.flags,
    keyword: ctx.settings.keyword,
    extraOwnAddresses: [ctx.settings.leadAddress, ctx.settings.ownerAddress],
    ourMessageIds: ctx.index.ourMessageIds,
    authTrust: ctx.settings.authTrust,
  });
  if (decision.action === 'skip') {
    record(ctx.report, { key: m.key, uid: m.uid, action: 'skipped', reason: decision.reason });
    if (ctx.mode === 'dry-run') ctx.print(`[dry-run] skip uid ${m.uid} "${message.subject}": ${decision.reason}${decision.detail ? ` (${decision.detail.join(', ')})` : ''}`);
    return 'done';
  }
  ctx.report.leads++;
  const lead = decision.lead;
  if (decision.action === 'report') {
    if (ctx.mode === 'dry-run') {
      ctx.print(`[dry-run] would report to the owner (${decision.reason}): ${summaryOf(lead)}`);
      record(ctx.report, { key: m.key, uid: m.uid, action: 'would-report', reason: decision.reason, source: lead.sourceId });
      return 'done';
    }
    await ctx.write({ t: 'reported', lead: m.key, reason: decision.reason, summary: summaryOf(lead) });
    record(ctx.report, { key: m.key, uid: m.uid, action: 'reported', reason: decision.reason, source: lead.sourceId });
    return 'done';
  }
  return answer(ctx, m, lead, decision.replyTo);
}

async function answer(ctx: Ctx, m: FetchedMessage, lead: Lead, to: string): Promise<Handled> {
  const base = { key: m.key, uid: m.uid, source: lead.sourceId, to };
  if (ctx.stopSending) {
    record(ctx.report, { ...base, action: 'deferred', reason: ctx.stopSending });
    return 'deferred';
  }
  const { timeZone } = ctx.settings;
  const cap =
    repliesToday(ctx.index, to, ctx.now(), timeZone) >= ctx.settings.maxPerSenderPerDay
      ? DAILY_CAP
      : allRepliesToday(ctx.index, ctx.now(), timeZone) >= ctx.settings.maxRepliesPerDay
        ? DAILY_TOTAL_CAP
        : null;
  if (cap) {
    // not answered (a customer, or a loop, writing again the same day; or a flood), but never
    // unseen: the owner's notice of this run names it
    const summary = `${summaryOf(lead)}${lead.subject ? `, subject "${lead.subject}"` : ''}`;
    if (ctx.mode === 'dry-run') ctx.print(`[dry-run] would not answer uid ${m.uid} (${cap === DAILY_CAP ? `daily cap for ${to}` : 'daily cap on all replies'}), would tell the owner: ${summary}`);
    else await ctx.write({ t: 'skipped', lead: m.key, reason: cap, summary });
    record(ctx.report, { ...base, action: 'capped', reason: cap, subject: lead.subject });
    return 'done';
  }
  const checks = checkContextFor(ctx, lead);
  let draft: { subject: string; body: string };
  try {
    const result = await draftReply(ctx.claude, ctx.profile, lead);
    ctx.report.usd += result.usd ?? 0;
    draft = result.draft;
  } catch (err) {
    if (err instanceof StructuredOutputError) {
      const reply = buildReply(ctx, lead, to, { subject: 'Your enquiry', body: '' }, checks);
      if (ctx.mode !== 'dry-run') await holdInDrafts(ctx, m.key, reply, 'the model did not return a valid draft: write this reply yourself');
      record(ctx.report, { ...base, action: ctx.mode === 'dry-run' ? 'would-hold' : 'held', reason: 'invalid-draft' });
      return 'done';
    }
    if (err instanceof ClaudeError && (err.code === 'EAUTH' || err.code === 'EPERMISSION')) {
      throw new LeadError('EAUTH', `Claude refused the credentials: ${err.message}`, { cause: err });
    }
    ctx.stopSending = err instanceof BudgetExceededError ? 'budget spent' : `Claude ${err instanceof ClaudeError ? err.code : 'error'}`;
    ctx.logger.warn({ err, lead: m.key }, 'no draft: the lead waits for the next run');
    record(ctx.report, { ...base, action: 'deferred', reason: ctx.stopSending });
    return 'deferred';
  }
  const built = buildReply(ctx, lead, to, draft, checks);
  // the checks read what leaves: the subject as sent (Re: and all) and the body
  const problems = checkDraft({ subject: built.subject, body: built.text }, checks);
  // what the model wrote is stored and shown only redacted (a reply that passed holds no secret)
  const redact = ctx.redact ?? ((s: string) => s);
  const reply = problems.length ? { ...built, subject: redact(built.subject), text: redact(built.text) } : built;
  if (ctx.mode === 'dry-run') {
    const verdict = problems.length ? `would hold in Drafts (${problems.join('; ')})` : `would send "${reply.subject}" to ${to}`;
    ctx.print(`[dry-run] uid ${m.uid} lead via ${lead.sourceId}: ${verdict}`);
    ctx.print(reply.text.replace(/^/gm, '    | '));
    record(ctx.report, { ...base, action: problems.length ? 'would-hold' : 'would-send', subject: reply.subject, ...(problems.length ? { reason: problems.join('; ') } : {}) });
    return 'done';
  }
  if (problems.length) {
    await holdInDrafts(ctx, m.key, reply, `draft failed its checks: ${problems.join('; ')}`);
    record(ctx.report, { ...base, action: 'held', reason: problems.join('; '), subject: reply.subject });
    return 'done';
  }
  if (ctx.mode === 'approve') {
    await holdInDrafts(ctx, m.key, reply, 'waiting for approval (--approve)');
    record(ctx.report, { ...base, action: 'drafted', subject: reply.subject });
    return 'done';
  }
  const place = { mailbox: m.mailbox, uid: m.uid, uidValidity: m.uidValidity };
  const outcome = await sendReply(ctx, m.key, lead.sourceId, place, reply);
  record(ctx.report, { ...base, action: outcome, subject: reply.subject, ...(outcome === 'deferred' ? { reason: 'smtp-temporary' } : {}) });
  return outcome === 'deferred' ? 'deferred' : 'done';
}
