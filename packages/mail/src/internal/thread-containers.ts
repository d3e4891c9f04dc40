/**
 * The containers of the threading algorithm (thread.ts): the tree nodes and their link
 * operations, and the merge of root threads by the server's conversation id (a thread hint).
 */

/** A node: a message, or a referenced message we do not have (`message` null). */
export interface Container<T> {
  id: string;
  message: T | null;
  parent: Container<T> | null;
  children: Container<T>[];
}

/** An empty container. */
export function newContainer<T>(id: string): Container<T> {
  return { id, message: null, parent: null, children: [] };
}

/** True when `a` is `b` or one of b's ancestors (so making a a child of b would make a loop). */
export function isAncestorOrSelf<T>(a: Container<T>, b: Container<T>): boolean {
  for (let c: Container<T> | null = b; c; c = c.parent) if (c === a) return true;
  return false;
}

/** Detaches `child` from its parent. */
export function unlink<T>(child: Container<T>): void {
  const parent = child.parent;
  if (!parent) return;
  const i = parent.children.indexOf(child);
  if (i >= 0) parent.children.splice(i, 1);
  child.parent = null;
}

/** Makes `child` a child of `parent` (detached from its old parent first). */
export function link<T>(parent: Container<T>, child: Container<T>): void {
  unlink(child);
  child.parent = parent;
  parent.children.push(child);
}

/** The thread hints found under a container, in tree order. */
function hintsOf<T extends { readonly threadHint?: string | null }>(c: Container<T>, out: string[] = []): string[] {
  const hint = c.message?.threadHint;
  if (typeof hint === 'string' && hint !== '' && !out.includes(hint)) out.push(hint);
  for (const child of c.children) hintsOf(child, out);
  return out;
}

/**
 * Root threads that share a thread hint become one: the later ones go under the first one's
 * root when that root is an empty container, else both go under a new empty root
 * `thread-hint:<hint>` (neither is known to answer the other). A thread without a hint, or
 * whose hint no other thread has, is left as it is: References still decide the tree.
 */
export function mergeByHint<T extends { readonly threadHint?: string | null }>(roots: Container<T>[]): Container<T>[] {
  const byHint = new Map<string, Container<T>>();
  const out: Container<T>[] = [];
  for (const root of roots) {
    const hints = hintsOf(root);
    const found = hints.map((h) => byHint.get(h)).find((c) => c !== undefined);
    let target = root;
    if (found === undefined) {
      out.push(root);
    } else if (found.message === null) {
      link(found, root);
      target = found;
    } else {
      const holder = newContainer<T>(`thread-hint:${hints.find((h) => byHint.get(h) === found)}`);
      out[out.indexOf(found)] = holder;
      link(holder, found);
      link(holder, root);
      for (const [h, c] of byHint) if (c === found) byHint.set(h, holder);
      target = holder;
    }
    for (const h of hints) if (!byHint.has(h)) byHint.set(h, target);
  }
  return out;
}
