// Covers classify on the sample week and on built mail: sources, direct leads, guards, spoofed senders, replies to our replies.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { directLead, mail, parsed, RULES_PATH, sampleMessages } from './support/sample.ts';
import { classify, type ClassifyContext } from '../src/classify.ts';
import { parseRules } from '../src/rules.ts';

const rules = parseRules(JSON.parse(readFileSync(RULES_PATH, 'utf8')));
const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({
  rules,
  key: 'k',
  flags: [],
  keyword: '$LeadAnswered',
  extraOwnAddresses: ['hello@carolesgardens.example', 'carole@carolesgardens.example'],
  ourMessageIds: new Set(),
  ...over,
});

describe('classify on the sample week', () => {
  it('finds the four leads of examples/README.md and nothing else', async () => {
    const raws = sampleMessages();
    expect(raws).toHaveLength(32);
    const out: Record<number, string> = {};
    for (const [i, raw] of raws.entries()) {
      const d = classify(await parsed(raw), ctx());
      out[i + 1] = d.action === 'skip' ? `skip:${d.reason}` : d.action === 'report' ? `report:${d.lead.sourceId}:${d.reason}` : `answer:${d.lead.sourceId}:${d.replyTo}`;
    }
    expect(out[15]).toBe('answer:wordpress:jenna.whitfield@example.org');
    expect(out[23]).toBe('answer:direct:robert.ng@example.com');
    expect(out[28]).toBe('report:google-local-services:no-reply-address');
    expect(out[32]).toBe('answer:slotpicker:theresa.quinn@example.org');
    for (const n of [1, 7, 16, 19, 22, 27]) expect(out[n]).toBe('skip:automated');
    const leads = Object.entries(out).filter(([, v]) => !v.startsWith('skip')).map(([k]) => Number(k));
    expect(leads).toEqual([15, 23, 28, 32]);
  });

  it('extracts name, phone and message from the notifications', async () => {
    const raws = sampleMessages();
    const wp = classify(await parsed(raws[14]!), ctx());
    const lsa = classify(await parsed(raws[27]!), ctx());
    const sp = classify(await parsed(raws[31]!), ctx());
    if (wp.action !== 'answer' || lsa.action !== 'report' || sp.action !== 'answer') throw new Error('unexpected decisions');
    expect(wp.lead.details).toMatchObject({ name: 'Jenna Whitfield', phone: '(802) 555-0128' });
    expect(wp.lead.details.message).toContain('27 Mill Pond Road');
    expect(lsa.lead.details).toMatchObject({ name: 'Sam Patel', phone: '(802) 555-0147', email: null, message: 'Landscape design' });
    expect(sp.lead.details).toMatchObject({ name: 'Theresa Quinn', phone: '(802) 555-0162' });
    expect(sp.lead.details.message).toContain('Steep bank');
  });
});

describe('guards', () => {
  it('never answers mail already answered (flag or keyword)', async () => {
    const m = await parsed(directLead(1));
    expect(classify(m, ctx()).action).toBe('answer');
    expect(classify(m, ctx({ flags: ['\\Answered'] }))).toMatchObject({ action: 'skip', reason: 'already-answered' });
    expect(classify(m, ctx({ flags: ['$leadanswered'] }))).toMatchObject({ action: 'skip', reason: 'already-answered' });
  });

  it('skips a message that answers one of our replies, even without Re: or auto headers', async () => {
    const m = await parsed(directLead(2, { headers: { 'In-Reply-To': '<ours@carolesgardens.example>' } }));
    expect(classify(m, ctx({ ourMessageIds: new Set(['<ours@carolesgardens.example>']) }))).toMatchObject({ reason: 'reply-to-our-reply' });
  });

  it('does not let an encoded word that hides an address pass the source allowlist', async () => {
    // the display name decodes to "wordpress@carolesgardens.example"
    const name = `=?utf-8?b?${Buffer.from('wordpress@carolesgardens.example').toString('base64')}?=`;
    const m = await parsed(
      mail(
        { From: `${name} <attacker@evil.example>`, To: 'hello@carolesgardens.example', Subject: 'New quote request', 'Reply-To': 'victim@example.org', 'Message-ID': '<spoof@evil.example>' },
        'From: Victim <victim@example.org>\nMessage Body:\nhello',
      ),
    );
    expect(m.from?.encodedWordSpoof).toBe(true);
    expect(classify(m, ctx())).toMatchObject({ action: 'skip', reason: 'spoofed-from' });
  });

  it('reports a lead whose reply address is refused instead of answering it', async () => {
    const m = await parsed(directLead(3, { from: 'someone@biz-listings.example' }));
    expect(classify(m, ctx())).toMatchObject({ action: 'report', reason: 'reply-address-refused:never-reply-to' });
  });

  it('treats Re: mail to the leads address as an ongoing conversation', async () => {
    const m = await parsed(directLead(4, { subject: 'Re: your quote' }));
    expect(classify(m, ctx())).toMatchObject({ action: 'skip', reason: 'ongoing-conversation' });
  });
});
