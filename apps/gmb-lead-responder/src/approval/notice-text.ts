/**
 * The text of an approval notice: why the draft was held, the three answers, and the draft
 * itself between two marker lines (a reply quoting it lets the responder see that the owner
 * approved this very text).
 */
import type { ReplyRecord } from '../journal.ts';

/** The marker lines around the draft in a notice. */
export const DRAFT_START = '----- Draft reply -----';
export const DRAFT_END = '----- End of draft -----';

/** What a notice says. */
export interface NoticeInput {
  readonly draft: ReplyRecord;
  readonly reason: string;
  readonly owner: string;
  readonly expires: number;
  readonly kind: 'first' | 'reminder' | 'again';
  /** Why the owner's last text was not sent. */
  readonly warning: readonly string[] | null;
}

/** The notice's subject (without the token tag). */
export function noticeSubject(n: NoticeInput): string {
  const what = `reply to ${n.draft.to} waits for you: "${n.draft.subject}"`;
  return n.kind === 'reminder' ? `Reminder: lead ${what}` : `Lead ${what}`;
}

/** The notice's body. */
export function noticeBody(n: NoticeInput): string {
  return [
    ...(n.warning
      ? [`Your text was NOT sent: it failed the checks (${n.warning.join('; ')}). Answer again below.`, '']
      : []),
    ...(n.kind === 'reminder' ? ['Reminder: this reply has waited for your answer since the notice before.', ''] : []),
    `A reply to a lead was held, not sent: ${n.reason}.`,
    '',
    'Answer this mail:',
    '- reply "send" to send the draft below as it is;',
    '- or write your own text above the quoted draft to send your text instead;',
    '- or reply "drop" to discard it.',
    `Only a reply from ${n.owner} to this mail counts, until ${new Date(n.expires).toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    DRAFT_START,
    `To: ${n.draft.to}`,
    `Subject: ${n.draft.subject}`,
    '',
    n.draft.text,
    DRAFT_END,
  ].join('\n');
}
