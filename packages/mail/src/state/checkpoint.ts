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
 *
 * A Maildir source keeps a MaildirCheckpoint (the handled file names, see maildir.ts) in the
 * same store, under its own name: one folder, one writer, one shape check per kind.
 */
import { isAbsolute, join } from 'node:path';
import { MailError } from '../errors.ts';
import { readJson, statePath, writeJsonAtomic } from './atomic.ts';

/** What a Maildir run remembers: JSON-serializable. */
export interface MaildirCheckpoint {
  readonly version: 1;
  /** Unique name parts of handled messages, sorted. */
  readonly seen: readonly string[];
}

/** True when `value` has the shape of a MaildirCheckpoint (the one check: readMaildir and the store use it). */
export function isMaildirCheckpoint(value: unknown): value is MaildirCheckpoint {
  const c = value as MaildirCheckpoint | null;
  return typeof c === 'object' && c !== null && c.version === 1 && Array.isArray(c.seen) && c.seen.every((k) => typeof k === 'string');
}

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
export interface CheckpointFile<T> {
  /** The file the checkpoint lives in. */
  readonly path: string;
  /** The saved checkpoint, or undefined on the first run. */
  load(): Promise<T | undefined>;
  /** Saves atomically (temp file 0600, fsync, rename, dir fsync). */
  save(checkpoint: T): Promise<void>;
}

/** The IMAP source's store. */
export type CheckpointStore = CheckpointFile<Checkpoint>;

/** Options of the store factories. */
export interface CheckpointStoreOptions {
  readonly stateDir: string;
  /** The source's name (e.g. `digest-imap-INBOX`): 1-100 of A-Z a-z 0-9 . _ - */
  readonly name: string;
  /**
   * An absolute path where an older version kept this checkpoint: read when the store's own
   * file does not exist yet, never written, so an upgrade does not start over.
   */
  readonly previousPath?: string | undefined;
}

async function openStore<T>(options: CheckpointStoreOptions, check: (v: unknown) => v is T): Promise<CheckpointFile<T>> {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(options.name) || options.name.startsWith('.')) {
    throw new MailError(
      'ECONFIG',
      `checkpoint name must be 1-100 characters of A-Z a-z 0-9 . _ - (not starting with a dot), got ${JSON.stringify(options.name)}`,
    );
  }
  if (typeof options.stateDir !== 'string' || !isAbsolute(options.stateDir)) {
    throw new MailError('ECONFIG', `stateDir must be an absolute path, got ${JSON.stringify(options.stateDir)}: pass the resolved state dir`);
  }
  // The folder is made on the first save: opening and loading (a dry run) write nothing.
  const path = join(options.stateDir, 'checkpoints', `${options.name}.json`);
  const loadFrom = async (file: string) => {
    const value = await readJson(file);
    if (value === undefined) return undefined;
    if (!check(value)) throw new MailError('ESTATE', `checkpoint ${file} has an unknown shape: inspect or remove it`, { path: file });
    return value;
  };
  return {
    path,
    async load() {
      const value = await loadFrom(path);
      return value === undefined && options.previousPath ? loadFrom(options.previousPath) : value;
    },
    async save(checkpoint) {
      await writeJsonAtomic(await statePath(options.stateDir, 'checkpoints', `${options.name}.json`), checkpoint);
    },
  };
}

/** The IMAP checkpoint store of source `name`, in `<stateDir>/checkpoints/<name>.json`. */
export function createCheckpointStore(options: CheckpointStoreOptions): Promise<CheckpointStore> {
  return openStore(options, isCheckpoint);
}

/** The Maildir checkpoint store of source `name`, in `<stateDir>/checkpoints/<name>.json`. */
export function createMaildirCheckpointStore(options: CheckpointStoreOptions): Promise<CheckpointFile<MaildirCheckpoint>> {
  return openStore(options, isMaildirCheckpoint);
}
