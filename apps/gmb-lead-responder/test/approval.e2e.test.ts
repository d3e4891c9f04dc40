// Covers approval by answering the owner's notice: one notice per held draft carrying the draft; `send`, the owner's own text and `drop` each acted on once (a second run and a repeated answer change nothing), threaded to the customer, the Drafts copy removed; an own text that fails the checks is not sent and the owner is told.
import { describe, expect, it } from 'vitest';
import { answer, APPROVAL_KEYS, notices } from './support/approval.ts';
import { directLead, parsed } from './support/sample.ts';
import { startWorld, type World } from './support/world.ts';

async function heldOne(w: World) {
  await w.deliver(directLead(1));
  const r = await w.run(['--approve']);
  expect(r.code, r.stderr).toBe(0);
  const [notice] = await notices(w);
  expect(notice).toBeDefined();
  return notice!;
}

async function customerReplies(w: World) {
  return Promise.all(w.replies().map((r) => parsed(r.raw)));
}

describe('approval by answer', () => {
  it('the notice carries the draft, the reason and the three answers; "send" sends it once, threaded, and empties Drafts', async () => {
    await using w = await startWorld(APPROVAL_KEYS);
    const notice = await heldOne(w);
    expect(notice.text).toContain('waiting for approval (--approve)');
    expect(notice.text).toContain('reply "send"');
    expect(notice.text).toContain('reply "drop"');
    expect(notice.text).toContain('garden design consultation ($95)');
    expect(notice.subject).toMatch(/\[lead [0-9a-f]{16}\.[0-9a-z]+\.[\w-]{27}\]$/);
    expect(await w.mailbox('Drafts')).toHaveLength(1);
    const raw = answer(notice, 'send');
    await w.deliver(raw);
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    const sent = await customerReplies(w);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to[0]!.address).toBe('customer1@example.org');
    expect(sent[0]!.inReplyTo).toBe('<lead-1@example.org>');
    expect(sent[0]!.text).toContain('garden design consultation ($95)');
    expect(await w.mailbox('Drafts')).toHaveLength(0);
    // the same answer again, and another run: nothing more
    await w.deliver(raw);
    await w.run();
    await w.run();
    expect(w.replies()).toHaveLength(1);
  });

  it("the owner's own text above the quote is sent instead of the draft", async () => {
    await using w = await startWorld(APPROVAL_KEYS);
    const notice = await heldOne(w);
    await w.deliver(answer(notice, 'Hi Customer,\n\nYes, we do shade borders. I will call you tomorrow.\n\nCarole'));
    await w.run();
    const sent = await customerReplies(w);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('I will call you tomorrow.');
    expect(sent[0]!.text).not.toContain('$95');
    expect(sent[0]!.text).not.toContain('wrote:');
    expect(sent[0]!.inReplyTo).toBe('<lead-1@example.org>');
    expect(await w.mailbox('Drafts')).toHaveLength(0);
  });

  it('"drop" discards the draft: nothing sent, Drafts emptied, later runs leave it dropped', async () => {
    await using w = await startWorld(APPROVAL_KEYS);
    const notice = await heldOne(w);
    await w.deliver(answer(notice, 'Drop'));
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(w.replies()).toHaveLength(0);
    expect(await w.mailbox('Drafts')).toHaveLength(0);
    await w.deliver(answer(notice, 'send'));
    await w.run();
    expect(w.replies()).toHaveLength(0);
  });

  it.each([
    ['an invented price', 'Hi,\n\nThe whole border is $450, all in.\n\nCarole', 'price not in the profile: $450'],
    ['a foreign link', 'Hi,\n\nSee https://pay.evil.example/x for our prices.\n\nCarole', 'link'],
  ])("an own text with %s is not sent; the owner is told why and can answer again", async (_name, text, word) => {
    await using w = await startWorld(APPROVAL_KEYS);
    const notice = await heldOne(w);
    await w.deliver(answer(notice, text));
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(w.replies()).toHaveLength(0);
    const all = await notices(w);
    expect(all).toHaveLength(2);
    expect(all[1]!.text).toContain('Your text was NOT sent');
    expect(all[1]!.text.toLowerCase()).toContain(word);
    expect(await w.mailbox('Drafts')).toHaveLength(1);
    // the new notice's token works; the spent one does not
    await w.deliver(answer(notice, 'send'));
    await w.run();
    expect(w.replies()).toHaveLength(0);
    await w.deliver(answer(all[1]!, 'send'));
    await w.run();
    expect(w.replies()).toHaveLength(1);
  });

  it('reminds once after LEAD_APPROVAL_REMIND_HOURS; the reminder\'s answer works', async () => {
    await using w = await startWorld({ ...APPROVAL_KEYS, LEAD_APPROVAL_REMIND_HOURS: '5' });
    await heldOne(w);
    await w.run();
    expect(await notices(w)).toHaveLength(1);
    const later = (h: number) => ({ now: () => Date.now() + h * 3600_000 });
    await w.run([], later(6));
    await w.run([], later(7));
    const all = await notices(w);
    expect(all).toHaveLength(2);
    expect(all[1]!.subject).toMatch(/^Reminder: /);
    await w.deliver(answer(all[1]!, 'send'));
    await w.run([], later(7));
    expect(w.replies()).toHaveLength(1);
  });

  it('--watch acts on an answer within seconds of its arrival, and still sees the next lead at once', async () => {
    await using w = await startWorld({ ...APPROVAL_KEYS, LEAD_WATCH_POLL_SECONDS: '30' });
    const ac = new AbortController();
    const running = w.run(['--approve', '--watch'], { signal: ac.signal });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await w.deliver(directLead(1));
      await w.smtp.waitFor(1, { timeoutMs: 20_000 });
      const [notice] = await notices(w);
      const t0 = Date.now();
      await w.deliver(answer(notice!, 'send'));
      await w.smtp.waitFor(2, { timeoutMs: 10_000 });
      expect(Date.now() - t0).toBeLessThan(10_000);
      // a lead that lands while the pass has Drafts selected (removing the copy) is still seen at once
      await w.deliver(directLead(2));
      await w.smtp.waitFor(3, { timeoutMs: 10_000 });
    } finally {
      ac.abort();
    }
    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    expect(w.replies().map((x) => x.to)).toEqual(['customer1@example.org']);
  });
});
