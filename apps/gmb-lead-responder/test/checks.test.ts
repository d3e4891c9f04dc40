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

  it.each([
    ['a hex IPv4 host', 'Pay at http://0xcb007105/pay today.', 'host 203.0.113.5'],
    ['a decimal IPv4 host', 'Pay at http://3405803781/pay today.', 'host 203.0.113.5'],
    ['a dotted IPv4 host without a scheme', 'Pay at 203.0.113.5/pay today.', 'link not allowed'],
    ['an IPv6 host', 'See http://[2001:db8::1]/ now.', 'link not allowed: http://[2001:db8::1]/'],
    ['an ideographic full stop', 'Visit evil。com for the offer.', 'link not allowed: evil.com'],
    ['a full-width full stop', 'Visit evil．com/pay for the offer.', 'link not allowed: evil.com/pay'],
    ['full-width letters', 'Visit ｗｗｗ．ｅｖｉｌ．ｃｏｍ now.', 'link not allowed: www.evil.com'],
    ['an IDN host', 'Visit пример.рф now.', 'host xn--e1afmkfd.xn--p1ai'],
    ['a homoglyph of the allowed domain', 'Book at https://www.carolesgardens.exаmple/book now.', 'host www.carolesgardens.xn--exmple-4nf'],
    ['an obfuscated scheme', 'Go to hxxp://evil.example/x.', 'link not allowed'],
    ['a scheme without slashes', 'Go to http:evil.example today.', 'link not allowed'],
    ['a zero-width space in a host', 'Visit evil\u200b.com today.', 'link not allowed: evil.com'],
    ['a suffixed dollar sign', 'The patio is 120$.', 'price not in the profile: 120$'],
    ['a full-width dollar sign', 'The patio is ＄１２０.', 'price not in the profile: $120'],
    ['an ISO code', 'The patio is CAD 120.', 'price not in the profile: CAD 120'],
    ['an ISO code after the number', 'Pay 4900 USD now.', 'price not in the profile: 4900 USD'],
    ['a price in English words', 'It is ninety-nine dollars.', 'price not in the profile: ninety-nine dollars'],
    ['a symbol then words', 'It is $ two thousand.', 'price not in the profile: $ two thousand'],
    ['words in another language', 'Es kostet neunundneunzig Dollar.', 'price not in the profile'],
    ['a price in Cyrillic', 'Стоимость 300 рублей.', 'price not in the profile: 300 рублей'],
    ['a price in CJK', '费用九十九元。', 'price not in the profile'],
    ['Devanagari digits', 'Price ₹४९००.', 'price not in the profile: ₹4900'],
    ['Arabic-Indic digits', 'Price $٤٩٠٠.', 'price not in the profile: $4900'],
    ['a rupee sign', 'Price ₹500.', 'price not in the profile: ₹500'],
    ['full-width phone digits', 'Call ９００-５５５-０１９９.', 'phone number not allowed: 900-555-0199'],
    ['a phone with unicode dashes', 'Call 900‐555‐0199.', 'phone number not allowed'],
    ['an address with a unicode domain', 'Write to pay@пример.рф now.', 'address not allowed'],
  ])('refuses %s', (_what, sentence, reason) => {
    const problems = checkDraft({ ...good, body: `${good.body}\n${sentence}` }, ctx);
    expect(problems.join('\n')).toContain(reason);
  });

  it('passes profile prices however written, and words that only name the currency', () => {
    for (const sentence of ['It is ninety-five dollars.', 'A consultation is ＄９５.', 'We quote in US dollars.', 'Bulbs are $1.25 each.', 'A bed is 480 dollars.']) {
      expect(checkDraft({ ...good, body: `${good.body}\n${sentence}` }, ctx), sentence).toEqual([]);
    }
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
