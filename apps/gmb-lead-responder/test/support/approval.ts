/**
 * Helpers for the approval tests: the world's keys for the approval flow, the approval notices
 * the SMTP capture received, and the owner's answer to one of them as a mail client writes it
 * (In-Reply-To and References to the notice, `Re:` subject, the notice quoted below).
 */
import type { MailMessage } from '@jobs/mail/message';
import { mail, parsed } from './sample.ts';
import type { World } from './world.ts';

export const SECRET = 'approval-secret-0123456789abcdefghijklmnop';
export const AUTHSERV = 'mx.carolesgardens.example';
export const OWNER = 'carole@carolesgardens.example';
/** Trusted results for the owner's domain. */
export const OWNER_AUTH = `${AUTHSERV}; dkim=pass header.d=carolesgardens.example; spf=pass smtp.mailfrom=${OWNER}`;

/** repos.env keys turning the approval flow on. */
export const APPROVAL_KEYS: Record<string, string> = { LEAD_APPROVAL_SECRET: SECRET, LEAD_AUTHSERV_ID: AUTHSERV };

/** The approval notices received so far, parsed, oldest first. */
export async function notices(w: World): Promise<MailMessage[]> {
  const out: MailMessage[] = [];
  for (const m of w.smtp.messages) {
    if (!m.envelope.to.includes(OWNER)) continue;
    const p = await parsed(m.raw);
    if (p.messageId.includes('lead-approval.')) out.push(p);
  }
  return out;
}

let counter = 0;

/** The owner's answer: `above` written above the quoted notice. */
export function answer(
  notice: MailMessage,
  above: string,
  opts: { from?: string; auth?: string | null; inReplyTo?: string; subject?: string; quoted?: string } = {},
): string {
  counter++;
  const quoted = (opts.quoted ?? notice.text).split('\n').map((l) => `> ${l}`).join('\n');
  const id = opts.inReplyTo ?? notice.messageId;
  return mail(
    {
      ...(opts.auth === null ? {} : { 'Authentication-Results': opts.auth ?? OWNER_AUTH }),
      From: `Carole Ashby <${opts.from ?? OWNER}>`,
      To: 'hello@carolesgardens.example',
      Subject: opts.subject ?? `Re: ${notice.subject}`,
      'Message-ID': `<answer-${counter}-${process.pid}@carolesgardens.example>`,
      'In-Reply-To': id,
      References: id,
    },
    `${above}\n\nOn Fri, 4 Dec 2026 at 10:00, hello@carolesgardens.example wrote:\n${quoted}`,
  );
}
