/**
 * Checks on a draft before it may be sent: no link outside the allowed domains, no email
 * address or phone number that is not allowed, no secret or other value from repos.env, no
 * amount of money the business profile does not state, bounded length. A draft that fails
 * any check is not sent; it goes to Drafts for a person, with these reasons.
 */
import { findAmounts } from './internal/amounts.ts';
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
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// a URL with a scheme, or a bare host name with at least one dot and a letter TLD
const URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})\b(?::\d+)?(?:[/?#][^\s)>\]]*)?/gi;
const SCHEME = /\b(?:https?|ftp|mailto|tel|sms|javascript|data):/gi;
const PHONE = /\+?\(?\d[\d\s().-]{5,}\d/g;

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

function domainAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((d) => h === d || h.endsWith(`.${d}`));
}

/** Every reason the draft may not be sent; empty means it passes. */
export function checkDraft(draft: Draft, ctx: CheckContext): string[] {
  const { draft: limits } = ctx.rules;
  const reasons: string[] = [];
  const text = `${draft.subject}\n${draft.body}`;
  if (draft.subject.trim() === '') reasons.push('empty subject');
  if (draft.body.trim() === '') reasons.push('empty body');
  if (/[\r\n]/.test(draft.subject)) reasons.push('subject spans lines');
  if (draft.subject.length > limits.maxSubjectChars) reasons.push(`subject longer than ${limits.maxSubjectChars} characters`);
  if (draft.body.length > limits.maxBodyChars) reasons.push(`body longer than ${limits.maxBodyChars} characters`);

  const lower = text.toLowerCase();
  for (const value of ctx.forbiddenValues) {
    if (value.length >= 4 && lower.includes(value.toLowerCase())) {
      reasons.push('contains a value from repos.env');
      break;
    }
  }

  const allowedEmails = new Set(limits.allowedEmailAddresses);
  if (limits.allowLeadContact && ctx.leadEmail) allowedEmails.add(ctx.leadEmail.toLowerCase());
  const emails = [...text.matchAll(EMAIL)].map((m) => m[0]);
  for (const e of emails) {
    if (!allowedEmails.has(e.toLowerCase())) reasons.push(`address not allowed: ${e}`);
  }

  // host names inside email addresses are judged as addresses, not as links
  const withoutEmails = text.replace(EMAIL, ' ');
  for (const m of withoutEmails.matchAll(URL)) {
    const host = m[1]!;
    if (!domainAllowed(host, limits.allowedLinkDomains)) reasons.push(`link not allowed: ${m[0]}`);
  }
  for (const m of withoutEmails.matchAll(SCHEME)) {
    const scheme = m[0].toLowerCase();
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
