// Covers the approval token and the reading of an answer's text: a token matches only its own draft, content, expiry and secret; it is found in In-Reply-To, References or the subject tag and nowhere else; the owner's own text stops at the quote and drops the attribution line.
import { describe, expect, it } from 'vitest';
import { ownText, quotedLines } from '../src/approval/own-text.ts';
import { contentHash, makeToken, noticeMessageId, subjectTag, tokenMatches, tokenOf, tokenText } from '../src/approval/token.ts';

const SECRET = 'k'.repeat(40);
const draft = { to: 'dana@example.org', subject: 'Re: Shade border', text: 'Hi Dana, the consultation is $95.' };
const hash = contentHash(draft);
const EXP = Date.UTC(2026, 11, 7);

describe('approval token', () => {
  it('matches its own draft, content, expiry and secret only', () => {
    const t = makeToken(SECRET, '<d1@x>', hash, EXP);
    expect(tokenMatches(SECRET, t, '<d1@x>', hash)).toBe(true);
    expect(tokenMatches('j'.repeat(40), t, '<d1@x>', hash)).toBe(false);
    expect(tokenMatches(SECRET, t, '<d2@x>', hash)).toBe(false);
    expect(tokenMatches(SECRET, t, '<d1@x>', contentHash({ ...draft, text: 'Hi Dana, the consultation is $9.' }))).toBe(false);
    expect(tokenMatches(SECRET, { ...t, expires: EXP + 86_400_000 }, '<d1@x>', hash)).toBe(false);
    const other = makeToken(SECRET, '<d2@x>', hash, EXP);
    expect(tokenMatches(SECRET, { ...other, ref: t.ref }, '<d1@x>', hash)).toBe(false);
  });

  it('is read back from In-Reply-To, References or the subject tag', () => {
    const t = makeToken(SECRET, '<d1@x>', hash, EXP);
    const id = noticeMessageId(t, 'carolesgardens.example');
    const read = (m: { inReplyTo: string | null; references: string[]; subject: string }) => (tokenOf(m) ? tokenText(tokenOf(m)!) : null);
    expect(read({ inReplyTo: id, references: [], subject: 'Re: x' })).toBe(tokenText(t));
    expect(read({ inReplyTo: '<other@y>', references: ['<a@b>', id], subject: 'Re: x' })).toBe(tokenText(t));
    expect(read({ inReplyTo: null, references: [], subject: `Re: Lead reply ${subjectTag(t)}` })).toBe(tokenText(t));
    // a token-shaped string in someone else's Message-ID is not read
    expect(read({ inReplyTo: `<${tokenText(t)}@evil.example>`, references: [], subject: 'Re: x' })).toBeNull();
    expect(read({ inReplyTo: null, references: [], subject: 'Re: Garden question' })).toBeNull();
  });
});

describe("the owner's own text", () => {
  it('is what stands above the quote, without the attribution line', () => {
    const body = 'Hi Dana,\n\nI will call you tomorrow.\n\nCarole\n\nOn Fri, 4 Dec 2026 at 10:00, Leads <hello@x.example> wrote:\n> Answer this mail:\n> - reply "send"';
    expect(ownText(body)).toBe('Hi Dana,\n\nI will call you tomorrow.\n\nCarole');
    expect(quotedLines(body)).toEqual(['Answer this mail:', '- reply "send"']);
    expect(ownText('> only a quote')).toBe('');
    // an attribution wrapped over two lines by the client
    const wrapped = 'Yes, Tuesday works.\n\nOn Fri, Dec 4, 2026 at 10:00 AM Carole Garden Design <\nhello@carolesgardens.example> wrote:\n\n> Answer this mail:\n> - reply "send"';
    expect(ownText(wrapped)).toBe('Yes, Tuesday works.');
  });
});
