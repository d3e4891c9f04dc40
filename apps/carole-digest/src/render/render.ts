/**
 * The digest as an email: a subject, HTML with inline CSS (mail clients drop <style> blocks and
 * external sheets), and a plain-text alternative with the same content. Every piece of mail
 * content (subjects, names, addresses, summaries, reasons) goes through escapeHtml.
 */
import { SECTIONS } from '../rank.ts';
import type { DegradedReason, DigestThread, QuarantinedItem, Section } from '../types.ts';
import { escapeHtml as esc } from './escape.ts';
import { type DateFormat, dateFormat, displayName } from './format.ts';

/** What a digest shows. */
export interface DigestContent {
  readonly threads: readonly DigestThread[];
  /** Messages kept for the digest (spam and unreadable ones not counted). */
  readonly messagesKept: number;
  readonly spam: number;
  /** The messages that could not be read (quarantined), listed at the end. */
  readonly unreadable: readonly QuarantinedItem[];
  readonly degraded: DegradedReason;
  /** The run's time: the date line and morning/afternoon. */
  readonly now: Date;
  /** IANA zone for every date shown. */
  readonly timeZone: string;
}

/** The rendered digest. */
export interface RenderedDigest {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const TITLES: Readonly<Record<Section, string>> = {
  reply: 'Needs a reply',
  fyi: 'FYI',
  newsletter: 'Newsletters and lists',
  automated: 'Automated',
};

/** Lines of a list group shown before "and N more". */
const GROUP_LINES = 5;

const DEGRADED_NOTE: Readonly<Record<Exclude<DegradedReason, null>, string>> = {
  'no-api-key': 'No API key is configured: summaries are the opening lines of each thread (extractive).',
  'no-llm': 'Run with --no-llm: summaries are the opening lines of each thread (extractive).',
  'claude-failed': 'Degraded: Claude could not be reached after retries, so some summaries are extractive (opening lines).',
  budget: "Degraded: the run's Claude budget was reached, so some summaries are extractive (opening lines).",
};

const S = {
  body: 'margin:0;padding:0;background:#f4f5f7;',
  wrap: 'max-width:680px;margin:0 auto;padding:16px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;font-size:14px;line-height:1.45;',
  h1: 'font-size:20px;margin:0 0 4px 0;',
  meta: 'color:#57606a;font-size:13px;margin:0 0 16px 0;',
  banner: 'background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px;margin:0 0 16px 0;font-size:13px;',
  h2: 'font-size:16px;margin:24px 0 8px 0;border-bottom:1px solid #d0d7de;padding-bottom:4px;',
  card: 'background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:10px 12px;margin:0 0 8px 0;',
  subject: 'font-weight:600;margin:0 0 2px 0;',
  who: 'color:#57606a;font-size:12px;margin:0 0 6px 0;',
  summary: 'margin:0;',
  action: 'margin:6px 0 0 0;color:#0969da;font-weight:600;',
  group: 'margin:0 0 8px 0;',
  foot: 'color:#57606a;font-size:12px;margin:24px 0 0 0;',
} as const;

function who(t: DigestThread, f: DateFormat): string {
  const names = t.participants.slice(0, 4).map(displayName).join(', ');
  const more = t.participants.length > 4 ? ` +${t.participants.length - 4}` : '';
  const count = t.messages.length > 1 ? ` · ${t.messages.length} messages` : '';
  return `${names}${more}${count} · ${f.short(t.latest)}`;
}

/** Newsletters and automated mail: grouped by list or sender. */
function groups(threads: readonly DigestThread[]): Array<{ name: string; threads: DigestThread[] }> {
  const byKey = new Map<string, { name: string; threads: DigestThread[] }>();
  for (const t of threads) {
    const first = t.messages[0];
    const key = first?.groupKey ?? t.id;
    const name = key.startsWith('list:') ? key.slice(5) : displayName(first?.from);
    const g = byKey.get(key) ?? { name, threads: [] };
    g.threads.push(t);
    byKey.set(key, g);
  }
  return [...byKey.values()];
}

/** Renders the digest (see the module comment). */
export function renderDigest(c: DigestContent): RenderedDigest {
  const f = dateFormat(c.timeZone);
  const bySection = new Map<Section, DigestThread[]>(SECTIONS.map((s) => [s, []]));
  for (const t of c.threads) bySection.get(t.section)!.push(t);
  const replies = bySection.get('reply')!.length;
  const subject = `Mail digest, ${f.day(c.now)} ${f.partOfDay(c.now)}: ${replies} need${replies === 1 ? 's' : ''} a reply, ${c.threads.length} thread${c.threads.length === 1 ? '' : 's'}`;
  const stats = `${c.messagesKept} message${c.messagesKept === 1 ? '' : 's'} in ${c.threads.length} thread${c.threads.length === 1 ? '' : 's'}${c.spam ? `, ${c.spam} spam dropped` : ''}`;
  const note = c.degraded ? DEGRADED_NOTE[c.degraded] : null;

  const html: string[] = [];
  const text: string[] = [];
  html.push(
    '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${esc(subject)}</title></head><body style="${S.body}"><div style="${S.wrap}">`,
    `<h1 style="${S.h1}">Mail digest</h1><p style="${S.meta}">${esc(f.day(c.now))}, ${f.partOfDay(c.now)} · ${esc(stats)}</p>`,
  );
  text.push(subject, '='.repeat(Math.min(subject.length, 72)), stats, '');
  if (note) {
    html.push(`<p style="${S.banner}" data-degraded="${esc(c.degraded ?? '')}">${esc(note)}</p>`);
    text.push(`NOTE: ${note}`, '');
  }
  if (c.threads.length === 0) {
    html.push(`<p>No new mail in this window.</p>`);
    text.push('No new mail in this window.');
  }

  for (const section of SECTIONS) {
    const list = bySection.get(section)!;
    if (list.length === 0) continue;
    const title = `${TITLES[section]} (${list.length})`;
    html.push(`<h2 style="${S.h2}">${esc(title)}</h2>`);
    text.push('', title, '-'.repeat(title.length));
    if (section === 'reply' || section === 'fyi') {
      for (const t of list) {
        html.push(
          `<div style="${S.card}" id="${esc(t.id)}">`,
          `<p style="${S.subject}">${esc(t.subject || '(no subject)')}</p>`,
          `<p style="${S.who}">${esc(who(t, f))}</p>`,
          `<p style="${S.summary}">${esc(t.summary.summary)}</p>`,
          t.summary.action ? `<p style="${S.action}">&rarr; ${esc(t.summary.action)}</p>` : '',
          '</div>',
        );
        text.push(`* ${t.subject || '(no subject)'}`, `  ${who(t, f)}`, `  ${t.summary.summary}`);
        if (t.summary.action) text.push(`  -> ${t.summary.action}`);
      }
      continue;
    }
    for (const g of groups(list)) {
      const shown = g.threads.slice(0, GROUP_LINES);
      const more = g.threads.length - shown.length;
      html.push(`<div style="${S.group}"><strong>${esc(g.name)}</strong> (${g.threads.length})<ul style="margin:2px 0 0 0;padding-left:20px;">`);
      text.push(`* ${g.name} (${g.threads.length})`);
      for (const t of shown) {
        html.push(`<li>${esc(t.subject || '(no subject)')} <span style="color:#57606a;">· ${esc(f.short(t.latest))}</span></li>`);
        text.push(`  - ${t.subject || '(no subject)'} (${f.short(t.latest)})`);
      }
      if (more > 0) {
        html.push(`<li style="color:#57606a;">and ${more} more</li>`);
        text.push(`  - and ${more} more`);
      }
      html.push('</ul></div>');
    }
  }

  if (c.unreadable.length > 0) {
    const title = `Could not be read (${c.unreadable.length})`;
    html.push(`<h2 style="${S.h2}">${esc(title)}</h2><ul>`);
    text.push('', title, '-'.repeat(title.length));
    for (const q of c.unreadable.slice(0, 20)) {
      html.push(`<li>${esc(q.id)}: ${esc(q.code)} ${esc(q.reason)}</li>`);
      text.push(`  - ${q.id}: ${q.code} ${q.reason}`);
    }
    if (c.unreadable.length > 20) {
      html.push(`<li>and ${c.unreadable.length - 20} more (see the run log)</li>`);
      text.push(`  - and ${c.unreadable.length - 20} more (see the run log)`);
    }
    html.push('</ul>');
  }
  html.push(`<p style="${S.foot}">Sent automatically by the mail digest. Messages were left unread and unchanged in your mailbox.</p></div></body></html>`);
  text.push('', '-- ', 'Sent automatically by the mail digest. Messages were left unread and unchanged in your mailbox.');
  return { subject, html: html.join('\n'), text: `${text.join('\n')}\n` };
}
