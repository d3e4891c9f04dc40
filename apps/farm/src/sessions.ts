/**
 * Session reuse per project on the subscription path: the first task of a session sends the
 * project's instructions with `--session-id`, the next ones `--resume` it with the task only,
 * until the session is older than its TTL or has taken its message cap. One small JSON file
 * per project (0600), written atomically, read and written under the project lock.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSecretFile } from '@jobs/credentials/secret-file';

/** A stored session. */
export interface SessionRecord {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  messages: number;
}

/** What the next task should do. */
export type SessionPlan = { kind: 'fresh'; id: string } | { kind: 'resume'; id: string; record: SessionRecord };

/** Options of the store. */
export interface SessionStoreOptions {
  dir: string;
  ttlMs: number;
  maxMessages: number;
  now?: () => number;
  newId?: () => string;
}

/** The per-project session store. */
export interface SessionStore {
  plan(project: string): Promise<SessionPlan>;
  /** Records a completed task on the session (creating it for a fresh one). */
  record(project: string, plan: SessionPlan): Promise<SessionRecord>;
  /** Forgets the project's session (a resume failed). */
  drop(project: string): Promise<void>;
  read(project: string): Promise<SessionRecord | undefined>;
}

/** Builds the store. */
export function createSessionStore(o: SessionStoreOptions): SessionStore {
  const now = o.now ?? Date.now;
  const newId = o.newId ?? randomUUID;
  const file = (project: string): string => join(o.dir, `${project}.json`);
  const read = async (project: string): Promise<SessionRecord | undefined> => {
    try {
      const r = JSON.parse(await readFile(file(project), 'utf8')) as SessionRecord;
      return typeof r.id === 'string' && typeof r.createdAt === 'number' && typeof r.messages === 'number' ? r : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    read,
    async plan(project) {
      const r = await read(project);
      if (r !== undefined && now() - r.createdAt < o.ttlMs && r.messages < o.maxMessages) return { kind: 'resume', id: r.id, record: r };
      return { kind: 'fresh', id: newId() };
    },
    async record(project, plan) {
      const t = now();
      const rec: SessionRecord =
        plan.kind === 'fresh'
          ? { id: plan.id, createdAt: t, lastUsedAt: t, messages: 1 }
          : { ...plan.record, lastUsedAt: t, messages: plan.record.messages + 1 };
      await mkdir(o.dir, { recursive: true, mode: 0o700 });
      await writeSecretFile(file(project), `${JSON.stringify(rec)}\n`);
      return rec;
    },
    async drop(project) {
      await unlink(file(project)).catch(() => {});
    },
  };
}
