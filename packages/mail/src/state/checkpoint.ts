/**
 * Per-source checkpoints: where the last run stopped, saved atomically under the state dir.
 *
 * Decision (UIDVALIDITY resync): besides `uidValidity` and `lastUid`, a checkpoint keeps the
 * keys (Message-ID, or a synthetic key when there is none) of the messages handled in the
 * last `retainMs` (default 14 days, capped at `maxRecent` keys), with their INTERNALDATE.
 * `coveredSince` says from when that list is complete. When UIDVALIDITY changes (or the server
 * sends none), the old UIDs mean nothing: the source rescans messages with INTERNALDATE at or
 * after `coveredSince` and skips every key already in the list. Messages older than
 * `coveredSince` are taken as handled. Limit: a message APPENDed later with an INTERNALDATE
 * older than `coveredSince` is not seen by a resync.
 */
import { MailError } from '../errors.ts';
import { readJson, statePath, writeJsonAtomic } from './atomic.ts';

/** One handled message remembered for resyncs. */
export interface RecentKey {
  /** Message-ID in angle brackets, or `synthetic:<sha256>` when the message had none. */
  readonly key: string;
  /** INTERNALDATE (or the handling time when unknown), ISO 8601. */
  readonly at: string;
}

/** The saved position of one source. */
export interface Checkpoint {
  readonly version: 1;
  /** UIDVALIDITY as a decimal string (it is a 32-bit unsigned BigInt); null when the server sent none. */
  readonly uidValidity: string | null;
  /** Highest UID handled under `uidValidity`; 0 for none. */
  readonly lastUid: number;
  /** From when `recent` lists every handled message, ISO 8601. */
  readonly coveredSince: string;
  /** Keys handled since `coveredSince`, oldest first. */
  readonly recent: readonly RecentKey[];
  readonly updatedAt: string;
}

/** A message to fold into a checkpoint. */
export interface HandledMessage {
  readonly uid: number;
  readonly key: string;
  readonly internalDate: Date | null;
}

/** Limits applied when a checkpoint is advanced. */
export interface AdvanceOptions {
  readonly now: number;
  readonly retainMs: number;
  readonly maxRecent: number;
}

/**
 * A new checkpoint: `previous` plus `handled`, under `uidValidity`. When `uidValidity`
 * differs from the previous one, `lastUid` restarts from the handled UIDs (plus `scannedUid`,
 * the highest UID that was looked at and found already handled).
 */
export function advanceCheckpoint(
  previous: Checkpoint | undefined,
  uidValidity: string | null,
  handled: readonly HandledMessage[],
  scannedUid: number,
  options: AdvanceOptions,
): Checkpoint {
  const sameWindow = previous !== undefined && previous.uidValidity === uidValidity && uidValidity !== null;
  let lastUid = Math.max(sameWindow ? previous.lastUid : 0, scannedUid);
  const byKey = new Map<string, string>();
  for (const r of previous?.recent ?? []) byKey.set(r.key, r.at);
  for (const m of handled) {
    lastUid = Math.max(lastUid, m.uid);
    const at = new Date(m.internalDate?.getTime() ?? options.now).toISOString();
    if (!byKey.has(m.key)) byKey.set(m.key, at);
  }
  let coveredSince = options.now - options.retainMs;
  let recent = [...byKey].map(([key, at]) => ({ key, at })).filter((r) => Date.parse(r.at) >= coveredSince);
  recent.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (recent.length > options.maxRecent) {
    recent = recent.slice(recent.length - options.maxRecent);
    // keys older than the first kept one are forgotten: the list is complete only from there
    coveredSince = Date.parse(recent[0]?.at ?? new Date(options.now).toISOString());
  }
  const previousCovered = previous ? Date.parse(previous.coveredSince) : Number.NEGATIVE_INFINITY;
  return {
    version: 1,
    uidValidity,
    lastUid,
    coveredSince: new Date(Math.max(coveredSince, Math.min(previousCovered, options.now))).toISOString(),
    recent,
    updatedAt: new Date(options.now).toISOString(),
  };
}

function isCheckpoint(value: unknown): value is Checkpoint {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.version === 1 &&
    (v.uidValidity === null || typeof v.uidValidity === 'string') &&
    typeof v.lastUid === 'number' &&
    typeof v.coveredSince === 'string' &&
    typeof v.updatedAt === 'string' &&
    Array.isArray(v.recent)
  );
}

/** Loads and saves the checkpoint of one named source. */
export interface CheckpointStore {
  /** The file the checkpoint lives in. */
  readonly path: string;
  /** The saved checkpoint, or undefined on the first run. */
  load(): Promise<Checkpoint | undefined>;
  /** Saves atomically (temp file 0600, fsync, rename, dir fsync). */
  save(checkpoint: Checkpoint): Promise<void>;
}

/**
 * A store for source `name` (e.g. `digest-imap-INBOX`), in `<stateDir>/checkpoints/<name>.json`.
 * The name is restricted to safe file-name characters.
 */
export async function createCheckpointStore(options: { stateDir: string; name: string }): Promise<CheckpointStore> {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(options.name) || options.name.startsWith('.')) {
    throw new MailError(
      'ECONFIG',
      `checkpoint name must be 1-100 characters of A-Z a-z 0-9 . _ - (not starting with a dot), got ${JSON.stringify(options.name)}`,
    );
  }
  const path = await statePath(options.stateDir, 'checkpoints', `${options.name}.json`);
  return {
    path,
    async load() {
      const value = await readJson(path);
      if (value === undefined) return undefined;
      if (!isCheckpoint(value)) {
        throw new MailError('ESTATE', `checkpoint ${path} has an unknown shape: inspect or remove it`, { path });
      }
      return value;
    },
    async save(checkpoint) {
      await writeJsonAtomic(path, checkpoint);
    },
  };
}
