/**
 * Fetching a chunk of messages by their text plan (text-plan.ts), under the caller's mailbox
 * lock, with no IMAP command inside a FETCH loop: one FETCH of BODYSTRUCTURE, flags,
 * INTERNALDATE and the header fields for the chunk; one of Received for the few without a
 * usable Date (their date falls back to it); one partial FETCH per text part number
 * (`BODY.PEEK[1]<0.N>`, `BODY.PEEK[1.1]<0.N>`...); and the whole message only for those
 * whose structure cannot be planned.
 */
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { parseDate } from '../internal/raw-headers.ts';
import { type TextPlan, TEXT_PLAN_HEADERS, planText, rebuildMessage } from './text-plan.ts';
import { toSequenceSet, type PlannedMessage } from './fetch-plan.ts';

/** One message loaded by its text plan. */
export interface TextLoaded {
  readonly row: FetchMessageObject;
  readonly size: number;
  /** The header fields fetched (the message key is read from them). */
  readonly header: Buffer;
  /** The rebuilt message, or the whole message when it could not be planned. */
  readonly raw: Buffer;
  /** True when `raw` was rebuilt from a partial. */
  readonly reduced: boolean;
}

function dateOf(header: Buffer): string | null {
  const m = /^date:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(header.toString('latin1'));
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ') : null;
}

/** Loads `part` (see the module comment). */
export async function loadByTextPlan(client: ImapFlow, part: readonly PlannedMessage[], prefixBytes: number, extra: { threadId?: true } = {}): Promise<TextLoaded[]> {
  const sizes = new Map(part.map((m) => [m.uid, m.size]));
  const metas = new Map<number, { row: FetchMessageObject; header: Buffer; plan: TextPlan | null }>();
  // `extra`: X-GM-THRID when the server offers it (gmail-ids.ts)
  const query = { uid: true, flags: true, internalDate: true, bodyStructure: true, headers: [...TEXT_PLAN_HEADERS], ...extra };
  for await (const row of client.fetch(toSequenceSet(part.map((m) => m.uid)), query, { uid: true })) {
    if (!sizes.has(row.uid)) continue;
    metas.set(row.uid, { row, header: row.headers ?? Buffer.alloc(0), plan: row.bodyStructure ? planText(row.bodyStructure) : null });
  }
  const undated = [...metas.values()].filter((m) => m.plan && parseDate(dateOf(m.header)) === null).map((m) => m.row.uid);
  if (undated.length) {
    for await (const row of client.fetch(toSequenceSet(undated), { uid: true, headers: ['received'] }, { uid: true })) {
      const meta = metas.get(row.uid);
      const first = row.headers?.toString('latin1').split(/\r?\n(?![ \t])/)[0];
      if (meta && first) meta.header = Buffer.concat([meta.header.subarray(0, meta.header.length - trailing(meta.header)), Buffer.from(`\r\n${first}\r\n\r\n`, 'latin1')]);
    }
  }
  const bodies = new Map<number, Buffer>();
  const byPart = new Map<string, number[]>();
  const whole: number[] = [];
  for (const [uid, meta] of metas) {
    if (!meta.plan) whole.push(uid);
    else byPart.set(meta.plan.text.part, [...(byPart.get(meta.plan.text.part) ?? []), uid]);
  }
  for (const [key, uids] of byPart) {
    const q = { uid: true, bodyParts: [{ key, start: 0, maxLength: prefixBytes }] };
    for await (const row of client.fetch(toSequenceSet(uids.sort((a, b) => a - b)), q, { uid: true })) {
      const body = row.bodyParts?.values().next().value;
      if (body) bodies.set(row.uid, body);
    }
  }
  if (whole.length) {
    for await (const row of client.fetch(toSequenceSet(whole.sort((a, b) => a - b)), { uid: true, source: true }, { uid: true })) {
      if (row.source) bodies.set(row.uid, row.source);
    }
  }
  const out: TextLoaded[] = [];
  for (const [uid, meta] of metas) {
    const body = bodies.get(uid) ?? Buffer.alloc(0);
    const size = sizes.get(uid) ?? 0;
    if (!meta.plan) out.push({ row: meta.row, size, header: body, raw: body, reduced: false });
    else out.push({ row: meta.row, size, header: meta.header, raw: rebuildMessage(meta.header, meta.plan, body, body.length >= prefixBytes), reduced: true });
  }
  return out;
}

function trailing(header: Buffer): number {
  let n = 0;
  while (n < header.length && (header[header.length - 1 - n] === 0x0a || header[header.length - 1 - n] === 0x0d)) n++;
  return n;
}
