// Thread hints (Gmail's X-GM-THRID): messages with one hint are one thread even when no
// References join them; a hint only ever joins, it never splits what References joined; and
// messages without a hint thread exactly as before.
import { describe, expect, it } from 'vitest';
import { type Threadable, threadMessages } from '../src/thread.ts';

function msg(id: string, subject: string, day: number, o: { refs?: string[]; hint?: string | null } = {}): Threadable {
  return { messageId: `<${id}>`, inReplyTo: null, references: (o.refs ?? []).map((r) => `<${r}>`), subject, date: new Date(Date.UTC(2026, 10, day)), threadHint: o.hint ?? null };
}

const ids = (t: { messages: readonly Threadable[] }) => t.messages.map((m) => m.messageId);

describe('thread hints', () => {
  it('joins messages with one hint and no References, oldest first', () => {
    // a reply whose client dropped References and changed the subject: only the hint joins it
    const withHints = threadMessages([msg('q1', 'Roof quote', 1, { hint: '1700' }), msg('q2', 'Photos of the leak', 2, { hint: '1700' }), msg('o1', 'Order', 3, { hint: '1800' })]);
    expect(withHints.map(ids)).toEqual([['<o1>'], ['<q1>', '<q2>']]);
    expect(withHints[1]!.id).toBe('thread-hint:1700');
    expect(withHints[1]!.subject).toBe('Roof quote');
    const without = threadMessages([msg('q1', 'Roof quote', 1), msg('q2', 'Photos of the leak', 2), msg('o1', 'Order', 3)]);
    expect(without.map(ids)).toEqual([['<o1>'], ['<q2>'], ['<q1>']]);
  });

  it('adds a hinted message to a References thread, and never splits one', () => {
    const threads = threadMessages([
      msg('a', 'Fence', 1, { hint: '9' }),
      msg('b', 'Re: Fence', 2, { refs: ['a'], hint: '9' }),
      msg('c', 'Gate too', 3, { hint: '9' }),
      // References win over a different hint: still one thread with a
      msg('d', 'Re: Fence', 4, { refs: ['a', 'b'], hint: '10' }),
    ]);
    expect(threads).toHaveLength(1);
    expect(ids(threads[0]!)).toEqual(['<a>', '<b>', '<c>', '<d>']);
  });

  it('joins under an existing empty root, and ignores empty hints', () => {
    // x and y answer a message we do not have (empty root); z joins them by hint alone
    const threads = threadMessages([
      msg('x', 'Re: Plans', 1, { refs: ['gone'], hint: '5' }),
      msg('y', 'Re: Plans', 2, { refs: ['gone'] }),
      msg('z', 'Drawings', 3, { hint: '5' }),
      msg('e1', 'One', 4, { hint: '' }),
      msg('e2', 'Two', 5, { hint: '' }),
    ]);
    expect(threads.map(ids)).toEqual([['<e2>'], ['<e1>'], ['<x>', '<y>', '<z>']]);
    expect(threads[2]!.id).toBe('<gone>');
  });
});
