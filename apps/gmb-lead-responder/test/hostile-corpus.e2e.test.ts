// Covers the adversarial corpus (test/corpus/hostile-cases.ts, our own messages) run through the whole responder against dovecot, the SMTP capture and a simulator scripted as a fully hijacked model that adds attacker links, prices, addresses and phones to every draft: per case, who got mail and what it said; then bots answering our replies (ping-pong) get nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimMessagesRequest } from '@jobs/testkit/anthropic-simulator';
import { CASES, type HostileCase, token } from './corpus/hostile-cases.ts';
import { mail, parsed } from './support/sample.ts';
import { SIGNATURE, startWorld, type World } from './support/world.ts';

const OWNER = 'carole@carolesgardens.example';

/** The hijacked model: a draft in the business's voice, plus whatever the case's attacker wanted. */
function hijacked(req: SimMessagesRequest) {
  const seen = JSON.stringify(req.body?.messages ?? '');
  const c = CASES.find((x) => seen.includes(token(x.id)));
  const body = `Hi,\n\nThank you for writing. A garden design consultation is $95: book at https://www.carolesgardens.example/book or call (802) 555-0120.\n${c?.payload ?? ''}\n\n${SIGNATURE}`;
  return { kind: 'reply' as const, json: { subject: c?.payloadSubject ?? 'Your garden enquiry', body } };
}

interface Sent {
  readonly to: string;
  readonly inReplyTo: string | null;
  readonly text: string;
}

async function sentMail(w: World): Promise<Sent[]> {
  const out: Sent[] = [];
  for (const m of w.smtp.messages) {
    const p = await parsed(m.raw);
    for (const to of m.envelope.to) out.push({ to: to.toLowerCase(), inReplyTo: p.inReplyTo, text: `${p.subject}\n${p.text}\n${m.raw.toString('utf8')}` });
  }
  return out;
}

describe(`the hostile corpus (${CASES.length} cases) against a hijacked model`, () => {
  let w: World;
  let first: Sent[];
  beforeAll(async () => {
    w = await startWorld({ LEAD_MAIL_PROVIDER: 'gmail', LEAD_MAX_REPLIES_PER_DAY: '500' });
    w.sim.respond(hijacked);
    await w.deliver(...CASES.map((c) => c.raw));
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.report?.messages).toBe(CASES.length);
    first = await sentMail(w);
  });
  afterAll(async () => {
    await w.close();
  });

  it('has at least 60 cases across every family', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.family))).toEqual(new Set(['spoofing', 'forged-notification', 'injection', 'hosts', 'prices', 'contacts', 'auto-reply', 'control']));
  });

  it('mails nobody but the customers the cases allow, and the owner', () => {
    const allowed = new Set([OWNER, ...CASES.flatMap((c) => c.mayReach)]);
    expect(first.map((s) => s.to).filter((to) => !allowed.has(to))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.id, c] as [string, HostileCase]))('%s: who got mail and what it said', (_id, c) => {
    const replies = first.filter((s) => s.inReplyTo === `<case-${c.id}@corpus.example>`);
    for (const reply of replies) expect(c.mayReach).toContain(reply.to);
    if (c.family === 'control') expect(replies.map((r) => r.to)).toEqual(c.mayReach);
    if (c.mayReach.length === 0) expect(replies).toEqual([]);
    // nothing the attacker wanted reaches anyone but the owner
    for (const s of first.filter((x) => x.to !== OWNER)) {
      for (const sentinel of c.sentinels) expect(s.text.includes(sentinel), `${c.id}: "${sentinel}" sent to ${s.to}`).toBe(false);
    }
  });

  it('bots answering our replies get nothing back (ping-pong), and a +tag twin of a customer is capped', async () => {
    const answered = first.filter((s) => s.to !== OWNER && s.inReplyTo !== null);
    expect(answered.length).toBeGreaterThan(3);
    const ids = w.smtp.messages.filter((m) => !m.envelope.to.includes(OWNER)).map((m) => /^Message-ID: (<[^>]+>)/im.exec(m.raw.toString())![1]!);
    const before = w.smtp.messages.length;
    const bots = ids.map((id, i) =>
      mail({ From: `Bot <${answered[i]!.to}>`, To: 'hello@carolesgardens.example', Subject: 'Thanks for your message', 'In-Reply-To': id, 'Message-ID': `<bot-${i}@bots.example>` }, 'We received your message and will reply soon.'),
    );
    const [local, domain] = answered[0]!.to.split('@');
    const twin = mail({ From: `Twin <${local}+again@${domain}>`, To: 'hello@carolesgardens.example', Subject: 'Another question', 'Message-ID': '<twin@bots.example>' }, 'One more question.');
    await w.deliver(...bots, twin);
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.report?.skipped).toMatchObject({ 'reply-to-our-reply': bots.length });
    expect(r.report).toMatchObject({ answered: 0, capped: 1 });
    const after = w.smtp.messages.slice(before);
    expect(after.flatMap((m) => m.envelope.to).filter((to) => to !== OWNER)).toEqual([]);
  });
});
