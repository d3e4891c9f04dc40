// Covers threadMessages (JWZ): reference chains, missing parents, cycles in References,
// duplicate Message-IDs, the subject fallback, ordering, participants, and scale.
import { describe, expect, it } from 'vitest';
import { baseSubject, type Thread, type Threadable, threadMessages } from '../src/thread.ts';

interface M extends Threadable {
  readonly name: string;
}

let clock = Date.UTC(2024, 9, 1);
function msg(name: string, opts: { refs?: string[]; irt?: string; subject?: string; from?: string; at?: number | null } = {}): M {
  clock += 60_000;
  return {
    name,
    messageId: `<${name}@x>`,
    references: (opts.refs ?? []).map((r) => `<${r}@x>`),
    inReplyTo: opts.irt ? `<${opts.irt}@x>` : null,
    subject: opts.subject ?? `subject ${name}`,
    date: opts.at === null ? null : new Date(opts.at ?? clock),
    from: { address: opts.from ?? `${name}@example.com`, name: '', encodedWordSpoof: false },
  };
}

const names = (t: Thread<M>): string[] => t.messages.map((m) => m.name);
const shape = (threads: Thread<M>[]): string[][] => threads.map(names).sort((a, b) => a[0]!.localeCompare(b[0]!));

describe('threadMessages', () => {
  it('links by References and In-Reply-To, orders messages by date', () => {
    const a = msg('a', { subject: 'Roof' });
    const b = msg('b', { refs: ['a'], subject: 'Re: Roof' });
    const c = msg('c', { irt: 'b', subject: 'Re: Roof' });
    const d = msg('d', { refs: ['a', 'b'], subject: 'Re: Roof' });
    const [t, ...rest] = threadMessages([d, c, b, a]);
    expect(rest).toEqual([]);
    expect(names(t!)).toEqual(['a', 'b', 'c', 'd']);
    expect(t!.subject).toBe('Roof');
    expect(t!.root.message?.name).toBe('a');
    expect(t!.root.children.map((n) => n.message?.name)).toEqual(['b']);
    expect(t!.root.children[0]!.children.map((n) => n.message?.name)).toEqual(['c', 'd']);
    expect(t!.participants.map((p) => p.address)).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
    expect(t!.latest).toEqual(d.date);
  });

  it('keeps siblings under a missing parent together', () => {
    const b = msg('b', { refs: ['gone'], subject: 'Re: Q1' });
    const c = msg('c', { refs: ['gone'], subject: 'Re: different words' });
    const threads = threadMessages([b, c]);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.root.message).toBeNull();
    expect(threads[0]!.root.id).toBe('<gone@x>');
    expect(names(threads[0]!)).toEqual(['b', 'c']);
  });

  it('promotes the only child of a missing root', () => {
    const b = msg('b', { refs: ['gone'] });
    const [t] = threadMessages([b]);
    expect(t!.root.message?.name).toBe('b');
  });

  it('survives cycles in References', () => {
    const a = msg('a', { refs: ['b'], subject: 'one' });
    const b = msg('b', { refs: ['a'], subject: 'two' });
    const c = msg('c', { refs: ['c', 'a', 'b', 'a'], subject: 'three' });
    const threads = threadMessages([a, b, c]);
    expect(threads.flatMap(names).sort()).toEqual(['a', 'b', 'c']);
    expect(threads).toHaveLength(1);
  });

  it('keeps both messages of a duplicate Message-ID', () => {
    const a = msg('a');
    const dup = { ...msg('a'), name: 'a2' };
    const threads = threadMessages([a, dup]);
    expect(threads.flatMap(names).sort()).toEqual(['a', 'a2']);
  });

  it('groups by base subject when references are missing', () => {
    const a = msg('a', { subject: '[roofers] Gutter quote' });
    const b = msg('b', { subject: 'RE: [roofers] gutter  quote' });
    const c = msg('c', { subject: 'Aw: Sv: Fwd: Gutter quote' });
    const other = msg('o', { subject: 'Something else' });
    const threads = threadMessages([c, b, a, other]);
    expect(shape(threads)).toEqual([['a', 'b', 'c'], ['o']]);
    const grouped = threads.find((t) => t.messages.length === 3)!;
    expect(grouped.root.message?.name).toBe('a');
    expect(grouped.baseSubject).toBe('gutter quote');
  });

  it('makes same-subject non-replies siblings, and can turn the fallback off', () => {
    const a = msg('a', { subject: 'Weekly report' });
    const b = msg('b', { subject: 'Weekly report' });
    const threads = threadMessages([a, b]);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.root.message).toBeNull();
    expect(threadMessages([a, b], { groupBySubject: false })).toHaveLength(2);
  });

  it('never groups empty subjects', () => {
    expect(threadMessages([msg('a', { subject: '' }), msg('b', { subject: 'Re: ' })])).toHaveLength(2);
  });

  it('orders threads newest activity first, undated last', () => {
    const old = msg('old', { at: Date.UTC(2020, 0, 1) });
    const undated = msg('u', { at: null });
    const fresh = msg('fresh', { at: Date.UTC(2025, 0, 1) });
    expect(threadMessages([old, undated, fresh]).map((t) => t.messages[0]!.name)).toEqual(['fresh', 'old', 'u']);
  });

  it('threads 20,000 messages in well under a few seconds', () => {
    const many: M[] = [];
    for (let t = 0; t < 4000; t++) {
      const chain: string[] = [];
      for (let i = 0; i < 5; i++) {
        const name = `t${t}m${i}`;
        many.push(msg(name, { refs: [...chain], subject: `${i ? 'Re: ' : ''}topic ${t % 1500}` }));
        chain.push(name);
      }
    }
    const start = performance.now();
    const threads = threadMessages(many.reverse());
    const ms = performance.now() - start;
    expect(threads.reduce((n, t) => n + t.messages.length, 0)).toBe(20_000);
    expect(threads).toHaveLength(1500); // topics sharing a base subject merge
    expect(ms).toBeLessThan(5000);
  });
});

describe('baseSubject', () => {
  it.each([
    ['Re: Re: Hello', 'hello'],
    ['RE[2]: Hello', 'hello'],
    ['Fwd: [List] Re: Hello (fwd)', 'hello'],
    ['AW: WG: Angebot', 'angebot'],
    ['SV: VS: Tilbud', 'tilbud'],
    ['[URGENT]', '[urgent]'],
    ['Rechnung', 'rechnung'],
  ])('%s -> %s', (input, expected) => {
    expect(baseSubject(input)).toBe(expected);
  });
});
