/**
 * The rounds of the crash tests: a child responder over PER_ROUND new leads per round, each
 * round SIGKILLed at a seeded random moment of the work or right inside a seeded step (SMTP
 * DATA read but no 250, APPEND to Sent or Drafts, flag STORE), then a rerun; the test then
 * checks what reached the SMTP server, Sent, Drafts and the inbox. With `fileSentDelayMs` the
 * SMTP capture files every accepted message into Sent that long after its 250, as Gmail and
 * Microsoft 365 do.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { type JournalRecord, openJournal } from '../../src/journal.ts';
import { bundleCli, type ChildResult, warmLauncher } from './child.ts';
import { startImapProxy } from '@jobs/testkit/imap-proxy';
import { directLead } from './sample.ts';
import { startWorld, type World } from './world.ts';
import { prng } from '@jobs/testkit/prng';

export const PER_ROUND = 10;

/** Where a kill landed, from the last journal record the child made durable in that round. */
export type KillPoint =
  /** No record this round: start-up, connect, recovery search, fetch, first draft. */
  | 'start-up'
  /** After a lead was finished: classify and draft of the next (or the checkpoint). */
  | 'between leads'
  /** `intent` on disk, the server has not read the whole reply. */
  | 'smtp send'
  /** `intent` on disk, the server read the whole reply, `sent` not on disk: no run can tell whether it went. */
  | 'smtp after DATA'
  /** `sent` on disk: the APPEND to Sent. */
  | 'sent copy'
  /** `copied` on disk: the flag STORE on the lead. */
  | 'flags'
  /** `hold` on disk: the APPEND to Drafts. */
  | 'drafts copy'
  | 'after notice'
  /** The child finished before the kill. */
  | 'exited';

/**
 * How a round is killed: at a random time of the work, or right after a given step started
 * (the k-th reply read by the SMTP server before its 250; the k-th APPEND to Sent; the k-th
 * flag STORE; the first APPEND to Drafts, which follows a round left with an unknown reply).
 */
export type Aim = 'timed' | 'smtp after DATA' | 'sent copy' | 'flags' | 'drafts copy';

function killPoint(res: ChildResult, last: JournalRecord | undefined, received: ReadonlySet<string>): KillPoint {
  if (res.signal !== 'SIGKILL') return 'exited';
  switch (last?.t) {
    case undefined:
      return 'start-up';
    case 'intent':
      return received.has(last.reply.messageId) ? 'smtp after DATA' : 'smtp send';
    case 'sent':
      return 'sent copy';
    case 'copied':
      return 'flags';
    case 'hold':
      return 'drafts copy';
    case 'notice':
      return 'after notice';
    default:
      return 'between leads';
  }
}

/** Counts by key. */
export function tally<T>(items: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/** What the rounds left for the test to check. */
export interface CrashOutcome {
  readonly world: World;
  /** Leads delivered, by Message-ID, in order. */
  readonly leads: readonly string[];
  /** Replies that reached the SMTP server (accepted or read in full), per lead Message-ID. */
  readonly perLead: Record<string, number>;
  /** Replies the server accepted (250), per lead Message-ID. */
  readonly accepted: ReadonlySet<string>;
  readonly final: ChildResult;
  /** Each round's aim and where its kill landed. */
  readonly points: ReadonlyArray<{ aim: Aim; point: KillPoint }>;
  readonly t0: number;
  readonly tRounds: number;
}

/** Options of crashRounds. */
export interface CrashRoundsOptions {
  readonly rounds: number;
  readonly cycle: readonly Aim[];
  readonly envExtra?: Record<string, string>;
  /** File each accepted message into Sent this long after its 250 (a provider that files Sent itself). */
  readonly fileSentDelayMs?: number;
}

/** Runs the calibration, the killed rounds and the final run; checks where the kills landed. */
export async function crashRounds(o: CrashRoundsOptions, body: (out: CrashOutcome) => Promise<void>): Promise<void> {
  const seed = Number(process.env.LEAD_CRASH_SEED ?? Date.now() % 1_000_000_007);
  console.log(`crash test seed: ${seed} (rerun with LEAD_CRASH_SEED=${seed})`);
  const random = prng(seed);
  // The capture calls `sleep` between reading a message and answering 250 when a scripted
  // fault has a latency: there the hook kills the child, and lets the 250 go once it is dead.
  let atSmtpWait: (() => Promise<void>) | null = null;
  const t0 = Date.now();
  let ref: World | undefined;
  const filing: Promise<unknown>[] = [];
  const fileSent = o.fileSentDelayMs === undefined ? undefined : async (raw: Buffer) => {
    filing.push(delay(o.fileSentDelayMs).then(() => ref!.imap.deliver('Sent', [raw], { flags: ['\\Seen'] })));
  };
  // 200 leads in one day: above the default cap on all replies of a day
  await using w = await startWorld(
    { LEAD_MAX_REPLIES_PER_DAY: '1000', ...o.envExtra },
    { smtp: { sleep: (ms) => (atSmtpWait ? atSmtpWait() : delay(ms)), ...(fileSent ? { fileSent } : {}) } },
  );
  ref = w;
  // the child reaches dovecot through a proxy that shows the test each IMAP command it sends
  await using proxy = await startImapProxy({ host: w.imap.host, port: w.imap.port });
  const envPath = join(w.dir, 'crash.env');
  await writeFile(envPath, (await readFile(w.envPath, 'utf8')).replace(/^LEAD_IMAP_PORT=.*$/m, `LEAD_IMAP_PORT=${proxy.port}`), { mode: 0o600 });
  await using bundle = await bundleCli();
  const args = ['--env-file', envPath, '--json'];
  // the next child is started (and loads) while the current one works; the clock starts at its release
  using children = warmLauncher(bundle, args, w.childEnv);
  const launch = (killAfterMs?: number) => children.launch(killAfterMs);
  const readJournal = async () => (await openJournal(join(w.stateDir, 'lead-responder', 'journal.jsonl'), { readOnly: true })).records;
  const leadId = (r: number, i: number) => `r${r}i${i}`;
  const leads: string[] = [];
  const deliver = (r: number) => {
    const ids = Array.from({ length: PER_ROUND }, (_, i) => leadId(r, i));
    leads.push(...ids.map((id) => `<lead-${id}@example.org>`));
    return w.deliver(...ids.map((id) => directLead(id)));
  };

  // calibration: one uninterrupted run over 10 leads; the journal's timestamps say when the work ran
  await deliver(0);
  const first = await launch().done;
  expect(first.code, first.stderr).toBe(0);
  const calibration = await readJournal();
  const firstAt = Date.parse(calibration[0]!.at) - first.startedAt;
  const work = Math.max(50, Date.parse(calibration.at(-1)!.at) - first.startedAt - firstAt);
  console.log(`bundle built in ${bundle.buildMs} ms; a run over ${PER_ROUND} leads: ${first.ms} ms, first journal record at ${firstAt} ms, then ${work} ms of work`);

  const rounds: Array<{ aim: Aim; at: string; res: ChildResult; last: JournalRecord | undefined }> = [];
  let seen = calibration.length;
  for (let r = 1; r <= o.rounds; r++) {
    await deliver(r);
    const aim = o.cycle[(r - 1) % o.cycle.length]!;
    const k = aim === 'drafts copy' ? 1 : 1 + Math.floor(random() * PER_ROUND);
    let at = `${aim} #${k}`;
    let res: ChildResult;
    if (aim === 'timed') {
      // from a little before the first record (fetch, draft) to past the last one of a full run
      const killAt = Math.round(firstAt + work * (-0.15 + random() * 1.25));
      at = `${killAt}ms`;
      res = await launch(killAt).done;
    } else {
      const run = launch();
      let seenSteps = 0;
      const step = () => {
        if (++seenSteps !== k) return false;
        run.child.kill('SIGKILL');
        return true;
      };
      if (aim === 'smtp after DATA') {
        w.smtp.script(...Array.from({ length: k }, () => ({ kind: 'accept' as const, latencyMs: 1 })));
        atSmtpWait = async () => {
          if (step()) await run.done;
        };
      } else {
        const command = { 'sent copy': / APPEND "?Sent"? /i, 'drafts copy': / APPEND "?Drafts"? /i, flags: / UID STORE /i }[aim];
        // a Sent copy or a flag STORE of recovery (a lead of an earlier round) comes before this
        // run's first reply: only those of the leads this run answers are counted
        const base = w.smtp.messages.length;
        proxy.watch((text) => {
          if (command.test(text) && (aim === 'drafts copy' || w.smtp.messages.length > base)) step();
        });
      }
      res = await run.done;
      atSmtpWait = null;
      proxy.watch(null);
      w.smtp.acceptAll();
    }
    const records = await readJournal();
    rounds.push({ aim, at, res, last: records.length > seen ? records.at(-1) : undefined });
    seen = records.length;
  }
  const tRounds = Date.now();
  const final = await launch().done;
  expect(final.code, final.stderr).toBe(0);
  await Promise.all(filing);

  // what reached the SMTP server per lead (accepted or read in full), by In-Reply-To
  const captured = [...w.smtp.messages, ...w.smtp.dropped];
  const received = new Set(captured.map((m) => m.parsed.messageId ?? ''));
  const perLead = tally(
    captured.filter((m) => m.parsed.inReplyTo),
    (m) => m.parsed.inReplyTo!,
  );
  const accepted = new Set(w.smtp.messages.filter((m) => m.parsed.inReplyTo).map((m) => m.parsed.inReplyTo!));

  // where the kills landed
  const points = rounds.map((x) => ({ ...x, point: killPoint(x.res, x.last, received) }));
  console.log(`kill schedule: ${points.map((p) => `${p.at} -> ${p.point} (${p.res.ms} ms)`).join(' | ')}; final run ${final.ms} ms`);
  const timed = points.filter((p) => p.aim === 'timed');
  const anchored = points.filter((p) => p.aim !== 'timed');
  console.log(`kill points: timed ${JSON.stringify(tally(timed, (p) => p.point))}; aimed ${JSON.stringify(tally(anchored, (p) => p.point))}`);
  // each aimed kill landed in its step: the journal's last record and the SMTP capture agree
  expect(anchored.map((p) => p.point)).toEqual(anchored.map((p) => p.aim));
  // the timed kills land in the work, not in start-up or after the end: most of them
  expect(timed.filter((p) => !['start-up', 'exited', 'after notice'].includes(p.point)).length).toBeGreaterThanOrEqual(timed.length / 2);
  await body({ world: w, leads, perLead, accepted, final, points, t0, tRounds });
}

/** Every message in a folder as dovecot holds them (copies with one Message-ID counted apart): its Message-ID and In-Reply-To. */
export async function folderHeaders(w: World, folder: string): Promise<Array<{ messageId: string; inReplyTo: string }>> {
  const out = await w.imap.doveadm(['fetch', '-u', w.imap.user, 'hdr.message-id hdr.in-reply-to', 'mailbox', folder]);
  return out
    .split('\f')
    .filter((block) => /hdr\.message-id:/i.test(block))
    .map((block) => ({
      messageId: /^hdr\.message-id:\s*(\S*)/im.exec(block)?.[1] ?? '',
      inReplyTo: /^hdr\.in-reply-to:\s*(\S*)/im.exec(block)?.[1] ?? '',
    }));
}
