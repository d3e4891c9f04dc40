/**
 * Checks on what is about to be sent (the subject as it goes out, `Re:` and all, and the
 * body): no link outside the allowed domains, no email address or phone number that is not
 * allowed, no secret or other value from repos.env, no amount of money the business profile
 * does not state, bounded length. The text is read as a person and a browser read it
 * (internal/normalise.ts): full-width and other-script digits, `。` dots, IDN and numeric hosts
 * (internal/links.ts), amounts with any currency symbol, ISO code or word (internal/amounts.ts).
 * A draft that fails any check is not sent; it goes to Drafts for a person, with these reasons.
 */
import { findAmounts } from './internal/amounts.ts';
import { findLinks, hostAllowed } from './internal/links.ts';
import { normaliseForChecks } from './internal/normalise.ts';
import type { LeadRules } from './rules.ts';

/** A draft as the model returns it. */
export interface Draft {
  readonly subject: string;
  readonly body: string;
}

/** What the checks compare against. */
export interface CheckContext {
  readonly rules: LeadRules;
  /** Amounts the profile states. */
  readonly prices: ReadonlySet<number>;
  /** Values from repos.env that must never appear (secrets, hosts, user names). */
  readonly forbiddenValues: readonly string[];
  /** The lead's own address and phone, allowed when `allowLeadContact`. */
  readonly leadEmail: string | null;
  readonly leadPhone: string | null;
  /** The scope's redactor: a draft it would change holds a secret in some encoding. */
  readonly redact?: (s: string) => string;
}

// any script in the local part and the domain; a domain needs a dot
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const SCHEME = /\b(?:https?|ftps?|wss?|mailto|tel|callto|sms|javascript|vbscript|data|file|blob|intent):/gi;
// digits with the separators people and forms use: spaces, dots, dashes of every kind, slashes
const PHONE = /\+?\(?\d[\d\s()./\u2010-\u2015\u2212\u00b7-]{5,}\d/g;

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

/** The check context of one lead's reply. */
export function checkContextFor(
  run: {
    readonly rules: LeadRules;
    readonly profile: { readonly prices: ReadonlySet<number> };
    readonly settings: { readonly forbiddenValues: readonly string[] };
    readonly redact?: (s: string) => string;
  },
  lead: { readonly details: { readonly email: string | null; readonly phone: string | null } },
): CheckContext {
  return {
    rules: run.rules,
    prices: run.profile.prices,
    forbiddenValues: run.settings.forbiddenValues,
    leadEmail: lead.details.email,
    leadPhone: lead.details.phone,
    ...(run.redact ? { redact: run.redact } : {}),
  };
}

/**
 * Whether a subject someone else wrote may be reused on a reply: only when it holds nothing
 * the checks refuse (no link, address, phone number, amount or repos.env value) and fits.
 */
export function subjectReusable(subject: string, ctx: CheckContext): boolean {
  return subject.trim() !== '' && checkDraft({ subject, body: '.' }, ctx).length === 0;
}

/** Every reason the draft may not be sent; empty means it passes. */
export function checkDraft(draft: Draft, ctx: CheckContext): string[] {
  const { draft: limits } = ctx.rules;
  const reasons: string[] = [];
  const text = normaliseForChecks(`${draft.subject}\n${draft.body}`);
  if (draft.subject.trim() === '') reasons.push('empty subject');
  if (draft.body.trim() === '') reasons.push('empty body');
  if (/[\r\n]/.test(draft.subject)) reasons.push('subject spans lines');
  if (draft.subject.length > limits.maxSubjectChars) reasons.push(`subject longer than ${limits.maxSubjectChars} characters`);
  if (draft.body.length > limits.maxBodyChars) reasons.push(`body longer than ${limits.maxBodyChars} characters`);

  const lower = text.toLowerCase();
  const raw = `${draft.subject}\n${draft.body}`.toLowerCase();
  const plain = `${draft.subject}\n${draft.body}`;
  const encoded = ctx.redact !== undefined && ctx.redact(plain) !== plain;
  if (encoded || ctx.forbiddenValues.some((v) => v.length >= 4 && (lower.includes(v.toLowerCase()) || raw.includes(v.toLowerCase())))) {
    reasons.push('contains a value from repos.env');
  }

  const allowedEmails = new Set(limits.allowedEmailAddresses);
  if (limits.allowLeadContact && ctx.leadEmail) allowedEmails.add(ctx.leadEmail.toLowerCase());
  const emails = [...text.matchAll(EMAIL)].map((m) => m[0]);
  for (const e of emails) {
    if (!allowedEmails.has(e.toLowerCase())) reasons.push(`address not allowed: ${e}`);
  }

  // host names inside email addresses are judged as addresses, not as links
  const withoutEmails = text.replace(EMAIL, ' ');
  for (const link of findLinks(withoutEmails)) {
    if (!hostAllowed(link, limits.allowedLinkDomains)) reasons.push(`link not allowed: ${link.text}${link.host && link.host !== link.text ? ` (host ${link.host})` : ''}`);
  }
  for (const m of withoutEmails.matchAll(SCHEME)) {
    const scheme = m[0].toLowerCase();
    if (scheme !== 'http:' && scheme !== 'https:') reasons.push(`link scheme not allowed: ${scheme}`);
  }
  for (const m of withoutEmails.matchAll(/\b([a-z][a-z0-9+.-]*):\/\//gi)) {
    const scheme = `${m[1]!.toLowerCase()}:`;
    if (scheme !== 'http:' && scheme !== 'https:') reasons.push(`link scheme not allowed: ${scheme}`);
  }

  const allowedPhones = new Set(limits.allowedPhoneNumbers.map(digits));
  if (limits.allowLeadContact && ctx.leadPhone) allowedPhones.add(digits(ctx.leadPhone));
  for (const m of text.matchAll(PHONE)) {
    const d = digits(m[0]);
    if (d.length < 7) continue; // amounts, dates and sizes, judged elsewhere
    const local = d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
    if (!allowedPhones.has(d) && !allowedPhones.has(local)) reasons.push(`phone number not allowed: ${m[0].trim()}`);
  }

  for (const amount of findAmounts(text)) {
    if (!ctx.prices.has(amount.value)) reasons.push(`price not in the profile: ${amount.text.trim()}`);
  }
  return [...new Set(reasons)];
}
