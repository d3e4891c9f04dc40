// Covers whole runs against dovecot, the SMTP capture and the simulator: each source type answered once, threaded, to the right address; automated mail never answered; Sent copy, flags, owner notice; rerun sends nothing; a customer over the daily cap is not answered but named to the owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '@jobs/mail/parse';
import { directLead, mail, sampleMessages } from './support/sample.ts';
import { startWorld, type World } from './support/world.ts';

const raws = sampleMessages();

async function parsedRaw(raw: Buffer) {
  const p = await parseMessage(raw);
  if (!p.ok) throw new Error(p.reason);
  return p.message;
}

describe('a run over the sample week plus a set of automated mail', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    const automated = [
      mail({ From: 'Dana <dana@example.org>', To: 'hello@carolesgardens.example', Subject: 'Out of office', 'Auto-Submitted': 'auto-replied', 'Message-ID': '<ooo@example.org>' }, 'I am away.'),
      mail({ From: 'Garden list <garden@lists.example>', To: 'hello@carolesgardens.example', Subject: 'List digest', 'List-Id': '<garden.lists.example>', 'Message-ID': '<list@example.org>' }, 'digest'),
      mail({ From: 'noreply@shop.example', To: 'hello@carolesgardens.example', Subject: 'Quote request received', 'Message-ID': '<nr@shop.example>' }, 'We got it.'),
      mail({ From: 'MAILER-DAEMON@mx.example', To: 'hello@carolesgardens.example', Subject: 'Undelivered Mail', 'Message-ID': '<bounce@mx.example>' }, 'failed'),
      mail({ From: 'Win <win@prize.example>', To: 'hello@carolesgardens.example', Subject: 'You won', 'X-Spam-Flag': 'YES', 'Message-ID': '<spam@prize.example>' }, 'claim'),
      mail({ From: 'Bulk <news@bulk.example>', To: 'hello@carolesgardens.example', Subject: 'Sale', Precedence: 'bulk', 'Message-ID': '<bulk@bulk.example>' }, 'sale'),
      mail({ From: 'Exchange <ex@corp.example>', To: 'hello@carolesgardens.example', Subject: 'Hi', 'X-Auto-Response-Suppress': 'All', 'Message-ID': '<xars@corp.example>' }, 'hi'),
    ];
    await w.deliver(...raws, ...automated);
  });
  afterAll(async () => {
    await w.close();
  });

  it('answers the three email leads once each, threaded, to the customer, and reports the phone-only one', async () => {
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.report).toMatchObject({ answered: 3, reported: 1, held: 0, deferred: 0, noticesSent: 1 });
    const replies = w.replies();
    expect(replies.map((x) => x.to).sort()).toEqual(['jenna.whitfield@example.org', 'robert.ng@example.com', 'theresa.quinn@example.org']);
    const leadIds: Record<string, string> = {
      'jenna.whitfield@example.org': '<k2Yq8vT4mWz1nR6bP0sLc3dE9fGh7JxA@www.carolesgardens.example>',
      'robert.ng@example.com': '<CAJt4nQ0s8Yv2LpB6cRk1Xw9Hm@mail.example.com>',
      'theresa.quinn@example.org': '<bk-20261122150319-93d1e7@slotpicker.example>',
    };
    for (const reply of replies) {
      const m = await parsedRaw(reply.raw);
      expect(m.inReplyTo).toBe(leadIds[reply.to]);
      expect(m.references).toContain(leadIds[reply.to]);
      expect(m.subject).toMatch(/^Re: /);
      expect(m.automation.autoSubmitted).toBe('auto-replied');
      expect(m.to.map((a) => a.address)).toEqual([reply.to]);
      expect(m.from?.address).toBe('hello@carolesgardens.example');
      expect(m.text).toContain('$95');
    }
    const robert = await parsedRaw(replies.find((x) => x.to === 'robert.ng@example.com')!.raw);
    expect(robert.subject).toBe('Re: Quote for raised vegetable beds?');

    // the owner hears about the phone-only lead
    const notices = w.smtp.messages.filter((m) => m.envelope.to.includes('carole@carolesgardens.example'));
    expect(notices).toHaveLength(1);
    const notice = await parsedRaw(notices[0]!.raw);
    expect(notice.text).toContain('Sam Patel');
    expect(notice.text).toContain('(802) 555-0147');
    expect(notice.automation.autoSubmitted).toBe('auto-generated');

    // copies in Sent, the leads marked \Answered and with the keyword
    const sent = await w.mailbox('Sent');
    expect(sent.map((s) => s.message.messageId).sort()).toEqual(replies.map((x) => /Message-ID: (<[^>]+>)/i.exec(x.raw.toString())![1]).sort());
    const inbox = await w.mailbox('INBOX');
    const answered = inbox.filter((s) => s.flags.includes('$LeadAnswered')).map((s) => s.message.messageId).sort();
    expect(answered).toEqual(Object.values(leadIds).sort());
    for (const s of inbox.filter((x) => x.flags.includes('$LeadAnswered'))) expect(s.flags).toContain('\\Answered');

    // the ledger has one row per draft, app lead-responder
    const { readFile } = await import('node:fs/promises');
    const rows = (await readFile(w.ledgerPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.app === 'lead-responder' && row.call_site === 'lead.draft' && row.outcome === 'ok')).toBe(true);
  });

  it('sends nothing on a second run, and nothing to any automated sender', async () => {
    const before = w.smtp.messages.length;
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(w.smtp.messages.length).toBe(before);
    const automatedSenders = ['dana@example.org', 'garden@lists.example', 'noreply@shop.example', 'mailer-daemon@mx.example', 'win@prize.example', 'news@bulk.example', 'ex@corp.example'];
    expect(w.smtp.messages.flatMap((m) => m.envelope.to.map((t) => t.toLowerCase())).filter((t) => automatedSenders.includes(t))).toEqual([]);
  });

  it('a new lead appended later is answered by the next run only', async () => {
    await w.deliver(directLead('late'));
    const r = await w.run();
    expect(r.report).toMatchObject({ messages: 1, answered: 1 });
    expect(w.replies().filter((x) => x.to === 'customerlate@example.org')).toHaveLength(1);
  });
});

describe('loops and caps', () => {
  it('answers the same customer once a day, and stops a loop with another responder', async () => {
    await using w = await startWorld();
    await w.deliver(directLead(1, { from: 'same@example.org' }), directLead(2, { from: 'same@example.org', subject: 'Another question' }));
    const r = await w.run();
    expect(r.report).toMatchObject({ answered: 1, capped: 1, noticesSent: 1 });
    expect(r.report?.outcomes).toContainEqual(expect.objectContaining({ action: 'capped', to: 'same@example.org', reason: 'daily-cap' }));
    // not answered, but the owner is told the customer wrote again
    const notices = w.smtp.messages.filter((m) => m.envelope.to.includes('carole@carolesgardens.example'));
    expect(notices).toHaveLength(1);
    const notice = await parsedRaw(notices[0]!.raw);
    expect(notice.text).toMatch(/Wrote again, not answered \(the day's reply to this address already went\): Customer 2, email same@example\.org/);
    expect(notice.text).toContain('Another question');
    // the other side is a responder that answers our reply without any automation header
    const ours = /Message-ID: (<[^>]+>)/i.exec(w.replies()[0]!.raw.toString())![1]!;
    await w.deliver(
      mail({ From: 'Bot <same@example.org>', To: 'hello@carolesgardens.example', Subject: 'Thanks for your message', 'In-Reply-To': ours, 'Message-ID': '<bot-1@example.org>' }, 'We received your message.'),
    );
    const again = await w.run();
    expect(again.code).toBe(0);
    expect(again.report).toMatchObject({ capped: 0, noticesSent: 0, skipped: { 'reply-to-our-reply': 1 } });
    expect(w.replies()).toHaveLength(1);
  });
});
