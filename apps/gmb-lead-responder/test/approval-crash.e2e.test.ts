// Covers crash safety of approvals: rounds of three held drafts answered send / own text / drop, the child acting on the answers SIGKILLed (at a seeded random moment, or right inside a step: SMTP DATA read but no 250, APPEND to Sent, the removal from Drafts), then later runs: no lead answered twice, none lost (each approved one answered once, or held again as delivery unknown with a new notice), no dropped one sent, Drafts and the journal agreeing.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startImapProxy } from '@jobs/testkit/imap-proxy';
import { prng } from '@jobs/testkit/prng';
import { answer, APPROVAL_KEYS, notices } from './support/approval.ts';
import { bundleCli, type ChildResult, warmLauncher } from './support/child.ts';
import { directLead } from './support/sample.ts';
import { startWorld } from './support/world.ts';

const ROUNDS = 8;
type Aim = 'timed' | 'smtp after DATA' | 'sent copy' | 'drafts removal';
const CYCLE: readonly Aim[] = ['smtp after DATA', 'sent copy', 'drafts removal', 'timed'];
const OWN = 'Hi,\n\nThank you, I will call you this week about the border.\n\nCarole';

describe('approval crash safety', () => {
  it(`${ROUNDS} rounds of SIGKILL while acting on answers: never two replies, none lost`, { timeout: 240_000 }, async () => {
    const seed = Number(process.env.LEAD_CRASH_SEED ?? Date.now() % 1_000_000_007);
    console.log(`approval crash seed: ${seed} (rerun with LEAD_CRASH_SEED=${seed})`);
    const random = prng(seed);
    let atSmtpWait: (() => Promise<void>) | null = null;
    await using w = await startWorld(APPROVAL_KEYS, { smtp: { sleep: (ms) => (atSmtpWait ? atSmtpWait() : delay(ms)) } });
    await using proxy = await startImapProxy({ host: w.imap.host, port: w.imap.port });
    const envPath = join(w.dir, 'crash.env');
    await writeFile(envPath, (await readFile(w.envPath, 'utf8')).replace(/^LEAD_IMAP_PORT=.*$/m, `LEAD_IMAP_PORT=${proxy.port}`), { mode: 0o600 });
    await using bundle = await bundleCli();
    using children = warmLauncher(bundle, ['--env-file', envPath, '--json'], w.childEnv);
    const plan = new Map<string, 'send' | 'edit' | 'drop'>();
    const kills: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const before = (await notices(w)).length;
      await w.deliver(...[0, 1, 2].map((i) => directLead(`r${r}i${i}`)));
      expect((await w.run(['--approve'])).code).toBe(0);
      const mine = (await notices(w)).slice(before).filter((n) => !n.text.includes('Reminder'));
      const byLead = mine.filter((n) => /customerr\d+i\d@/.test(n.text) && n.text.includes(`customerr${r}i`));
      expect(byLead).toHaveLength(3);
      const actions = ['send', 'edit', 'drop'] as const;
      await w.deliver(
        ...byLead.map((n, i) => {
          const to = /^To: (.+)$/m.exec(n.text)![1]!;
          plan.set(to, actions[i]!);
          return answer(n, actions[i] === 'edit' ? OWN : actions[i]!);
        }),
      );
      const aim = CYCLE[r % CYCLE.length]!;
      let res: ChildResult;
      if (aim === 'timed') {
        const at = Math.round(100 + random() * 1500);
        kills.push(`${at}ms`);
        res = await children.launch(at).done;
      } else {
        const run = children.launch();
        let fired = false;
        const kill = () => {
          if (fired) return;
          fired = true;
          run.child.kill('SIGKILL');
        };
        if (aim === 'smtp after DATA') {
          w.smtp.script({ kind: 'accept', latencyMs: 1 });
          atSmtpWait = async () => {
            kill();
            await run.done;
          };
        } else {
          const command = aim === 'sent copy' ? / APPEND "?Sent"? /i : / UID STORE .*\\Deleted/i;
          proxy.watch((text) => {
            if (command.test(text)) kill();
          });
        }
        res = await run.done;
        atSmtpWait = null;
        proxy.watch(null);
        w.smtp.acceptAll();
        kills.push(`${aim}: ${fired ? 'killed' : 'not reached'}`);
      }
      expect([0, null]).toContain(res.code);
    }
    // two clean runs finish what the kills left
    for (let i = 0; i < 2; i++) {
      const fin = await children.launch().done;
      expect(fin.code, fin.stderr).toBe(0);
    }
    console.log(`approval crash kills: ${kills.join(' | ')}`);
    const captured = [...w.smtp.messages, ...w.smtp.dropped].filter((m) => !m.envelope.to.includes('carole@carolesgardens.example'));
    const drafts = await w.mailbox('Drafts');
    const later = await notices(w);
    let answered = 0;
    let unknown = 0;
    for (const [to, action] of plan) {
      const sent = captured.filter((m) => m.envelope.to.includes(to));
      const draft = drafts.filter((d) => d.message.to[0]?.address === to);
      expect(sent.length, `${to} (${action}) sent ${sent.length} times`).toBeLessThanOrEqual(1);
      if (action === 'drop') {
        expect(sent, `${to} was dropped`).toHaveLength(0);
        expect(draft, `${to}: dropped draft left in Drafts`).toHaveLength(0);
        continue;
      }
      if (draft.length > 0) {
        // killed after the server read it: held again, not resent, the owner asked again
        unknown++;
        expect(draft).toHaveLength(1);
        expect(draft[0]!.raw.toString()).toContain('delivery unknown');
        expect(later.some((n) => n.text.includes('delivery unknown') && n.text.includes(`To: ${to}`))).toBe(true);
      } else {
        expect(sent, `${to} (${action}) lost`).toHaveLength(1);
        if (action === 'edit') expect(sent[0]!.raw.toString()).toContain('I will call you this week');
        answered++;
      }
    }
    console.log(`approval crash test: ${answered} answered once, ${unknown} held as unknown, ${plan.size} leads`);
    expect(answered + unknown).toBe((ROUNDS * 2 * 3) / 3);
  });
});
