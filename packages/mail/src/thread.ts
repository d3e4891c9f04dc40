/**
 * Conversation threading: Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html),
 * the one RFC 5256 THREAD=REFERENCES describes and dovecot implements. Linear in the number of
 * messages and references apart from the loop check, which walks one ancestor chain per link.
 * A message may carry a `threadHint`, the server's own conversation id (Gmail's X-GM-THRID,
 * present only when the server offers X-GM-EXT-1): threads that share a hint are one thread
 * even when the References that would join them are missing (thread-hints.ts).
 */
import type { MailAddress } from './message.ts';
import { analyzeSubject } from './internal/subject.ts';
import { type Container, isAncestorOrSelf, link, mergeByHint, newContainer, unlink } from './internal/thread-containers.ts';

export { baseSubject } from './internal/subject.ts';

/** What threading needs from a message; MailMessage satisfies it. */
export interface Threadable {
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly subject: string;
  readonly date: Date | null;
  readonly from?: MailAddress | null;
  /** The server's conversation id (X-GM-THRID), when it offers one; absent or null otherwise. */
  readonly threadHint?: string | null;
}

/** One node of a thread tree; `message` is null for a referenced message we do not have. */
export interface ThreadNode<T> {
  readonly id: string;
  readonly message: T | null;
  readonly children: readonly ThreadNode<T>[];
}

/** One conversation. */
export interface Thread<T> {
  /** The root's id (a real or a missing message's Message-ID, or `subject:<base>`). */
  readonly id: string;
  readonly root: ThreadNode<T>;
  /** Every message of the thread, oldest first (undated ones last, in input order). */
  readonly messages: readonly T[];
  /** Subject of the earliest message, as written. */
  readonly subject: string;
  /** Subject without Re:/Fwd:/[list] prefixes, lower-cased. */
  readonly baseSubject: string;
  /** Distinct senders in the order they first wrote (addresses compared case-insensitively). */
  readonly participants: readonly MailAddress[];
  /** Date of the newest message, null when none is dated. */
  readonly latest: Date | null;
}

/** Options of threadMessages. */
export interface ThreadOptions {
  /** Merge root threads with the same base subject (JWZ step 5). Default true. */
  readonly groupBySubject?: boolean;
}

/** JWZ steps 1 and 2: the id table, reference chains, and the root set. */
function buildContainers<T extends Threadable>(messages: readonly T[]): Container<T>[] {
  const table = new Map<string, Container<T>>();
  const get = (id: string): Container<T> => {
    let c = table.get(id);
    if (!c) {
      c = newContainer<T>(id);
      table.set(id, c);
    }
    return c;
  };
  let dup = 0;
  for (const message of messages) {
    let own = get(message.messageId);
    if (own.message !== null) {
      // Duplicate Message-ID: keep both messages, the second under a unique id (JWZ 1A).
      own = get(`${message.messageId}#dup${++dup}`);
    }
    own.message = message;
    // References wins; In-Reply-To only when there are none (as RFC 5256 and dovecot do).
    const refs = (message.references.length > 0 ? message.references : message.inReplyTo ? [message.inReplyTo] : [])
      .filter((id) => id !== message.messageId);
    let prev: Container<T> | null = null;
    for (const ref of refs) {
      const c = get(ref);
      // Link each reference to the one before it, unless it already has a parent (an earlier
      // message knew better) or the link would make a cycle.
      if (prev && c.parent === null && !isAncestorOrSelf(c, prev)) link(prev, c);
      prev = c;
    }
    // The message's parent is its last reference, overriding a guess made from another message.
    if (prev && !isAncestorOrSelf(own, prev)) link(prev, own);
    else if (prev === null) unlink(own);
  }
  return [...table.values()].filter((c) => c.parent === null);
}

/** JWZ step 4: drop empty containers, promoting their children. Returns the new sibling list. */
function prune<T>(list: Container<T>[], atRoot: boolean): Container<T>[] {
  const out: Container<T>[] = [];
  for (const c of list) {
    c.children = prune(c.children, false);
    for (const child of c.children) child.parent = c;
    if (c.message === null && c.children.length === 0) continue;
    if (c.message === null && (!atRoot || c.children.length === 1)) {
      for (const child of c.children) {
        child.parent = atRoot ? null : c.parent;
        out.push(child);
      }
      continue;
    }
    out.push(c);
  }
  return out;
}

function subjectOf<T extends Threadable>(c: Container<T>): { base: string; isReply: boolean } {
  const m = c.message ?? c.children[0]?.message ?? null;
  return m ? analyzeSubject(m.subject) : { base: '', isReply: false };
}

/** JWZ step 5: merge root threads that share a base subject. */
function groupBySubject<T extends Threadable>(roots: Container<T>[]): Container<T>[] {
  const table = new Map<string, Container<T>>();
  for (const c of roots) {
    const { base, isReply } = subjectOf(c);
    if (!base) continue;
    const old = table.get(base);
    if (
      !old ||
      (c.message === null && old.message !== null) ||
      (old.message !== null && subjectOf(old).isReply && !isReply)
    ) {
      table.set(base, c);
    }
  }
  const out = new Set<Container<T>>();
  for (const c of roots) {
    if (c.parent !== null) continue; // already merged under another root
    const { base, isReply } = subjectOf(c);
    const that = base ? table.get(base) : undefined;
    if (!that || that === c) {
      out.add(c);
      continue;
    }
    if (that.message === null && c.message === null) {
      for (const child of [...c.children]) link(that, child);
    } else if (that.message === null) {
      link(that, c);
    } else if (c.message === null) {
      // `c` is an empty root; `that` becomes one of its children and c takes its table slot.
      link(c, that);
      out.delete(that);
      table.set(base, c);
      out.add(c);
    } else if (!subjectOf(that).isReply && isReply) {
      link(that, c);
    } else {
      // Neither is clearly the parent: make them siblings under a new empty root.
      const holder = newContainer<T>(`subject:${base}`);
      out.delete(that);
      link(holder, that);
      link(holder, c);
      table.set(base, holder);
      out.add(holder);
    }
  }
  return [...out].filter((c) => c.parent === null);
}

function time(m: Threadable): number {
  return m.date ? m.date.getTime() : Number.POSITIVE_INFINITY;
}

function toThread<T extends Threadable>(root: Container<T>): Thread<T> {
  const messages: T[] = [];
  // Children are ordered by their subtree's earliest date, computed once per node.
  const toNode = (c: Container<T>): { node: ThreadNode<T>; earliest: number } => {
    if (c.message) messages.push(c.message);
    const kids = c.children.map(toNode).sort((a, b) => {
      const d = a.earliest - b.earliest;
      return Number.isNaN(d) ? 0 : d;
    });
    let earliest = c.message ? time(c.message) : Number.POSITIVE_INFINITY;
    for (const k of kids) earliest = Math.min(earliest, k.earliest);
    return { node: { id: c.id, message: c.message, children: kids.map((k) => k.node) }, earliest };
  };
  const { node } = toNode(root);
  // A stable sort keeps undated messages in input order, after the dated ones.
  messages.sort((a, b) => {
    const d = time(a) - time(b);
    return Number.isNaN(d) ? 0 : d;
  });
  const participants: MailAddress[] = [];
  const seen = new Set<string>();
  let latest: Date | null = null;
  for (const m of messages) {
    if (m.date && (!latest || m.date > latest)) latest = m.date;
    const key = m.from?.address.toLowerCase();
    if (m.from && key && !seen.has(key)) {
      seen.add(key);
      participants.push(m.from);
    }
  }
  const subject = messages[0]?.subject ?? '';
  return { id: root.id, root: node, messages, subject, baseSubject: analyzeSubject(subject).base, participants, latest };
}

/**
 * Threads messages into conversations. Threads come back newest activity first (undated ones
 * last); each thread's messages oldest first.
 */
export function threadMessages<T extends Threadable>(messages: readonly T[], options: ThreadOptions = {}): Thread<T>[] {
  let roots = mergeByHint(prune(buildContainers(messages), true));
  if (options.groupBySubject !== false) roots = groupBySubject(roots);
  const threads = roots.map((r) => toThread(r));
  const key = (t: Thread<T>): number => (t.latest ? t.latest.getTime() : Number.NEGATIVE_INFINITY);
  return threads.sort((a, b) => {
    const d = key(b) - key(a);
    return Number.isNaN(d) ? 0 : d;
  });
}
