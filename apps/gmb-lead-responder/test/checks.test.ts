// Covers the draft checks: links, addresses, phones, prices against the profile, repos.env values, length.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_PATH, RULES_PATH } from './support/sample.ts';
import { checkDraft, type CheckContext } from '../src/checks.ts';
import { findAmounts } from '../src/internal/amounts.ts';
import { profileFromText } from '../src/profile.ts';
import { parseRules } from '../src/rules.ts';

const rules = parseRules(JSON.parse(readFileSync(RULES_PATH, 'utf8')));
const profile = profileFromText(readFileSync(PROFILE_PATH, 'utf8'));
const ctx: CheckContext = {
  rules,
  prices: profile.prices,
  forbiddenValues: ['s3cret-imap-pass', 'sk-ant-test-key-123'],
  leadEmail: 'jenna@example.org',
  leadPhone: '(802) 555-0128',
};
const SIGNATURE = "Carole Ashby\nCarole's Garden Design\n(802) 555-0120 | www.carolesgardens.example";
const good = {
  subject: 'Your garden design enquiry',
  body: `Hi Jenna,\n\nThanks for writing. A consultation is $95; book at https://www.carolesgardens.example/book or write to hello@carolesgardens.example.\n\n${SIGNATURE}`,
};

describe('checkDraft', () => {
  it('passes a draft that uses only the profile', () => {
    expect(checkDraft(good, ctx)).toEqual([]);
  });

  it('reads the profile prices', () => {
    for (const p of [95, 650, 70, 1.25, 480, 145, 85, 1000]) expect(profile.prices.has(p)).toBe(true);
    expect(findAmounts('from $500-800, or 1,450 dollars, US$ 2k').map((a) => a.value)).toEqual([500, 800, 1450, 2000]);
  });

  it.each([
    ['a foreign link', 'See http://evil.example/offer for details.', 'link not allowed'],
    ['a bare foreign host', 'Visit cheap-gardens.example today.', 'link not allowed'],
    ['a javascript: link', 'Click javascript:alert(1)', 'link scheme not allowed'],
    ['another address', 'Write to carole.private@gmail.example instead.', 'address not allowed'],
    ['an invented price', 'A patio would be about $4,200.', 'price not in the profile: $4,200'],
    ['a price in words', 'Roughly 300 dollars.', 'price not in the profile'],
    ['a repos.env secret', 'Our key is sk-ant-test-key-123.', 'contains a value from repos.env'],
    ['another phone', 'Call Luis on (802) 555-0199.', 'phone number not allowed'],
  ])('refuses %s', (_what, sentence, reason) => {
    const problems = checkDraft({ ...good, body: `${good.body}\n${sentence}` }, ctx);
    expect(problems.join('\n')).toContain(reason);
  });

  it('allows the lead its own address and phone when allowLeadContact is set', () => {
    const body = `${good.body}\nWe have jenna@example.org and (802) 555-0128 on file.`;
    expect(checkDraft({ ...good, body }, ctx)).toEqual([]);
    const strict = { ...ctx, rules: { ...rules, draft: { ...rules.draft, allowLeadContact: false } } };
    expect(checkDraft({ ...good, body }, strict)).toHaveLength(2);
  });

  it('bounds the length of subject and body', () => {
    expect(checkDraft({ subject: 'x'.repeat(121), body: good.body }, ctx)).toContain('subject longer than 120 characters');
    expect(checkDraft({ subject: 'ok subject', body: 'y'.repeat(1501) }, ctx)).toContain('body longer than 1500 characters');
    expect(checkDraft({ subject: '', body: '' }, ctx)).toEqual(expect.arrayContaining(['empty subject', 'empty body']));
  });
});
