// Crash safety with a provider that files SMTP-submitted mail into Sent itself (LEAD_IMAP_PROVIDER=gmail,
// the SMTP capture filing each accepted message into dovecot's Sent a moment after its 250): rounds
// of a child responder SIGKILLed at a random moment, right after the server read a reply (before
// its 250) or at the flag STORE, then a rerun. Every reply the server took is found by recovery
// in the provider's Sent copy: its lead is answered exactly once, never held, and Sent holds
// exactly one copy of it (counted by doveadm, copies apart); a lead whose reply the server never
// took is held in Drafts as delivery unknown, with no copy in Sent.
import { describe, expect, it } from 'vitest';
import { type Aim, crashRounds, folderHeaders, PER_ROUND, tally } from './support/crash-rounds.ts';

const ROUNDS = 12;
const CYCLE: readonly Aim[] = ['smtp after DATA', 'timed', 'flags', 'timed'];

describe('crash safety with a provider that files Sent itself', () => {
  it(`${ROUNDS} rounds of SIGKILL: each reply the server took answered once, one copy in Sent`, { timeout: 180_000 }, async () => {
    const env = { LEAD_IMAP_PROVIDER: 'gmail' };
    await crashRounds({ rounds: ROUNDS, cycle: CYCLE, envExtra: env, fileSentDelayMs: 1000 }, async ({ world: w, leads, perLead, accepted, points, final }) => {
      const drafts = new Map((await w.mailbox('Drafts')).filter((d) => d.message.inReplyTo).map((d) => [d.message.inReplyTo!, d]));
      const sent = await folderHeaders(w, 'Sent');
      // no message twice in Sent, whatever it is (the owner's notices are filed there too)
      expect(sent.length).toBe(new Set(sent.map((m) => m.messageId)).size);
      const sentCopies = tally(sent.filter((m) => m.inReplyTo), (m) => m.inReplyTo);
      const inbox = new Map((await w.mailbox('INBOX')).map((m) => [m.message.messageId, m.flags]));
      let answered = 0;
      let held = 0;
      for (const id of leads) {
        expect(perLead[id] ?? 0, `${id} answered ${perLead[id]} times`).toBeLessThanOrEqual(1);
        if (accepted.has(id)) {
          expect(drafts.has(id), `${id}: the server took its reply, yet it is held`).toBe(false);
          expect(sentCopies[id], `${id}: Sent copies`).toBe(1);
          expect(inbox.get(id), `${id}: flags`).toContain('\\Answered');
          answered++;
        } else {
          expect(drafts.get(id)?.raw.toString(), `${id} neither answered nor held`).toContain('delivery unknown');
          expect(sentCopies[id], `${id} is held but has a Sent copy`).toBeUndefined();
          held++;
        }
      }
      // a held lead comes only from a kill while its reply was on the wire
      expect(held).toBeLessThanOrEqual(points.filter((p) => p.point === 'smtp send').length);
      console.log(`crash test (gmail): ${answered} answered, ${held} held as unknown, ${leads.length} leads; final run ${final.ms} ms`);
      expect(answered + held).toBe((ROUNDS + 1) * PER_ROUND);
    });
  });
});
