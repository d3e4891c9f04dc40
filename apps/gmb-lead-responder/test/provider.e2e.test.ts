// A provider that files SMTP-submitted mail into Sent itself (Gmail, Microsoft 365), played by
// the SMTP capture filing each accepted message into dovecot's Sent a moment after the 250 (as
// the real ones do): with LEAD_IMAP_PROVIDER set, the responder leaves exactly one copy of each
// reply there (no APPEND of its own), and a rerun sends nothing. Without the preset its search
// runs before the server's copy lands, so it appends one and Sent ends with two.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { directLead } from './support/sample.ts';
import { startWorld, type World } from './support/world.ts';

async function world(envExtra: Record<string, string>): Promise<World & { filed(): Promise<unknown> }> {
  let ref: World | undefined;
  const pending: Promise<unknown>[] = [];
  const w = await startWorld(envExtra, {
    smtp: {
      fileSent: async (raw) => {
        pending.push(delay(300).then(() => ref!.imap.deliver('Sent', [raw], { flags: ['\\Seen'] })));
      },
    },
  });
  ref = w;
  return Object.assign(w, { filed: () => Promise.all(pending) });
}

/** Messages in Sent as dovecot counts them (the fetch helper folds copies with one Message-ID). */
async function sentCount(w: World): Promise<number> {
  const out = await w.imap.doveadm(['mailbox', 'status', '-u', w.imap.user, 'messages', 'Sent']);
  return Number(/messages=(\d+)/.exec(out)?.[1]);
}

const replyIds = (w: World) => w.replies().map((r) => /Message-ID: (<[^>]+>)/i.exec(r.raw.toString())![1]!);

describe('a provider that files sent mail itself', () => {
  it('LEAD_IMAP_PROVIDER=gmail: one copy per reply in Sent, and a rerun sends nothing', { timeout: 120_000 }, async () => {
    await using w = await world({ LEAD_IMAP_PROVIDER: 'gmail' });
    await w.deliver(directLead(1), directLead(2));
    const first = await w.run();
    expect(first.code, first.stderr).toBe(0);
    expect(w.replies()).toHaveLength(2);
    await w.filed();
    const sent = (await w.mailbox('Sent')).map((s) => s.message.messageId).sort();
    expect(sent).toEqual(replyIds(w).sort());
    expect(await sentCount(w)).toBe(2);
    const again = await w.run();
    expect(again.code).toBe(0);
    expect(w.replies()).toHaveLength(2);
    expect(await sentCount(w)).toBe(2);
  });

  it('without a preset the responder appends its own copy (the server filed one too)', { timeout: 120_000 }, async () => {
    await using w = await world({});
    await w.deliver(directLead(3));
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    await w.filed();
    expect((await w.mailbox('Sent')).map((s) => s.message.messageId)).toEqual([replyIds(w)[0]]);
    expect(await sentCount(w)).toBe(2);
  });
});
