// Covers crash safety: 20 rounds of a child responder over 10 new leads, each SIGKILLed (at a seeded random moment of the work, or right inside a seeded step: SMTP DATA read but no 250, APPEND to Sent or Drafts, flag STORE), then a rerun: no lead answered twice, none lost, one Sent copy per answer; the kill points are printed and checked.
import { describe, expect, it } from 'vitest';
import { REASON_HEADER } from '../src/hold.ts';
import { type Aim, crashRounds, folderHeaders, PER_ROUND, tally } from './support/crash-rounds.ts';

const ROUNDS = 20;
const CYCLE: readonly Aim[] = ['smtp after DATA', 'drafts copy', 'timed', 'sent copy', 'timed', 'flags', 'timed', 'timed'];

describe('crash safety', () => {
  it(`${ROUNDS} rounds of SIGKILL inside the work: every lead answered at most once, none lost`, { timeout: 180_000 }, async () => {
    await crashRounds({ rounds: ROUNDS, cycle: CYCLE }, async ({ world: w, leads, perLead, final, points, t0, tRounds }) => {
      const inSend = points.filter((p) => p.point === 'smtp send' || p.point === 'smtp after DATA').length;
      expect(inSend).toBeGreaterThan(points.filter((p) => p.aim === 'smtp after DATA').length);

      const drafts = new Map<string, string>();
      for (const d of await w.mailbox('Drafts')) {
        if (d.message.inReplyTo) {
          expect(drafts.has(d.message.inReplyTo), `two drafts for ${d.message.inReplyTo}`).toBe(false);
          drafts.set(d.message.inReplyTo, new RegExp(`^${REASON_HEADER}: (.*)$`, 'im').exec(d.raw.toString())?.[1] ?? '');
        }
      }
      const sentCopies = tally(
        (await w.mailbox('Sent')).filter((m) => m.message.inReplyTo),
        (m) => m.message.inReplyTo!,
      );
      const inbox = new Map((await w.mailbox('INBOX')).map((m) => [m.message.messageId, m.flags]));
      let answered = 0;
      let held = 0;
      for (const id of leads) {
        const sent = perLead[id] ?? 0;
        expect(sent, `${id} answered ${sent} times`).toBeLessThanOrEqual(1);
        if (drafts.has(id)) {
          held++;
          expect(drafts.get(id)).toContain('delivery unknown');
          expect(sentCopies[id], `${id} is held but has a Sent copy`).toBeUndefined();
        } else {
          expect(sent, `${id} neither answered nor held`).toBe(1);
          expect(sentCopies[id], `${id}: Sent copies`).toBe(1);
          expect(inbox.get(id), `${id}: flags`).toContain('\\Answered');
          answered++;
        }
      }
      // no second copy of any message in Sent (the fetch above folds copies with one Message-ID)
      const ids = (await folderHeaders(w, 'Sent')).map((m) => m.messageId);
      expect(ids.length).toBe(new Set(ids).size);
      console.log(
        `crash test: ${answered} answered, ${held} held as unknown, ${leads.length} leads; set-up and rounds ${tRounds - t0} ms, final run ${final.ms} ms, checks ${Date.now() - tRounds - final.ms} ms`,
      );
      expect(answered + held).toBe((ROUNDS + 1) * PER_ROUND);
    });
  });
});
