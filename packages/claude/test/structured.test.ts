// Covers structured output against the simulator: JSON taken from the reply and validated with zod,
// one retry that tells the model what was wrong, then StructuredOutputError for the degraded path.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StructuredOutputError } from '../src/errors.ts';
import { extractJson, structured } from '../src/structured.ts';
import { setup, user } from './helpers.ts';

const Lead = z.object({ name: z.string().min(1), phone: z.string().regex(/^\+?[0-9 ]{7,}$/) });

describe('structured', () => {
  it('parses and validates a good reply in one call', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'reply', text: 'Here it is:\n```json\n{"name":"Dana","phone":"+1 555 0100"}\n```' });
    const out = await structured(t.client, { callSite: 'test.lead', schema: Lead, messages: [user('extract')], maxTokens: 200 });
    expect(out).toMatchObject({ value: { name: 'Dana', phone: '+1 555 0100' }, calls: 1 });
    expect(t.messageRequests()).toHaveLength(1);
  });

  it('retries once with the problems stated, and accepts the corrected reply', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'reply', text: '{"name":"Dana"}' }, { kind: 'reply', json: { name: 'Dana', phone: '5550100123' } });
    const out = await structured(t.client, { callSite: 'test.lead', schema: Lead, messages: [user('extract')], maxTokens: 200 });
    expect(out).toMatchObject({ value: { phone: '5550100123' }, calls: 2 });
    const second = t.messageRequests()[1]?.body?.messages as Array<{ role: string; content: string }>;
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[1]?.content).toBe('{"name":"Dana"}');
    expect(second[2]?.content).toContain('phone');
    expect(await t.rows()).toHaveLength(2);
  });

  it('throws StructuredOutputError after a second bad reply', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'reply', text: 'I cannot help with that.' }, { kind: 'reply', text: '{"name": ""}' });
    const err = await structured(t.client, { callSite: 'test.lead', schema: Lead, messages: [user('extract')], maxTokens: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StructuredOutputError);
    expect(err).toMatchObject({ code: 'ESCHEMA', attempts: 2 });
    expect((err as StructuredOutputError).issues.some((i) => i.startsWith('name:'))).toBe(true);
    expect(t.messageRequests()).toHaveLength(2);
  });
});

describe('extractJson', () => {
  it('finds JSON in prose and fences, and refuses text without any', () => {
    expect(extractJson('Sure! {"a":[1,2]} Hope that helps.')).toEqual({ a: [1, 2] });
    expect(extractJson('```\n[1, 2]\n```')).toEqual([1, 2]);
    expect(() => extractJson('no json here')).toThrow(SyntaxError);
  });
});
