/**
 * A message's text as the digest keeps it: quotes and signature stripped (@jobs/mail's
 * stripQuotes), then the boilerplate that quote stripping leaves: mailing-list footers (a rule
 * line followed by "mailing list", "unsubscribe", a listinfo link), confidentiality
 * disclaimers, and "Sent from my phone" lines. They say nothing about the thread, yet they would
 * be sent to Claude (and paid for) with every message, and crowd the extractive summary. Last,
 * blank runs are squeezed and the text capped.
 */
import { stripQuotes } from '@jobs/mail/quote';

// A rule line: underscores, dashes, equals or stars, ten or more.
const RULE = /^[ \t]*[-_=*~]{10,}[ \t]*$/;
const FOOTER = /mailing list|unsubscribe|listinfo|list-?admin|sponsored by|groups sponsor|you are receiving this|to post to this group|archives?:\s*http/i;
const DISCLAIMER = /\b(confidential|privileged)\b[\s\S]*\b(intended (solely )?(only )?for|intended recipient|addressee|received this (e-?mail|message) in error)/i;
const SENT_FROM = /^[ \t]*(sent from my|get outlook for|sent via) [^\n]{0,40}$/i;

/** `text` without list footers, disclaimers and "sent from" lines, trimmed. */
export function dropBoilerplate(text: string): string {
  const lines = text.split('\n');
  // A footer starts at a rule line that has footer words within the next lines.
  for (let i = 0; i < lines.length; i++) {
    if (!RULE.test(lines[i]!)) continue;
    if (FOOTER.test(lines.slice(i + 1, i + 7).join('\n'))) {
      lines.length = i;
      break;
    }
  }
  const kept = lines.filter((l) => !SENT_FROM.test(l)).join('\n');
  // Disclaimers are paragraphs of their own.
  return kept
    .split(/\n[ \t]*\n/)
    .filter((p) => !(p.length < 1500 && DISCLAIMER.test(p)))
    .join('\n\n')
    .trim();
}

function cap(text: string, max: number): string {
  const clean = text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max).trimEnd()} […]`;
}

/** `text` without quotes, signature and boilerplate, capped at `max` characters. */
export function digestText(text: string, max: number): string {
  return cap(dropBoilerplate(stripQuotes(text)), max);
}
