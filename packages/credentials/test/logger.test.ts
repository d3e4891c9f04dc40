// Covers the JSON-lines logger: levels, fields, error serialization, and redaction of secrets in URLs, JSON and error messages.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@jobs/core/logger';
import { createRedactor } from '../src/redact.ts';

const KEY = 'sk-ant-api03-logtest-9f8e7d';
const PASS = 'imap p@ss"word';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const raw = () => chunks.join('');
  const lines = () =>
    raw()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines, raw };
}

const now = () => new Date('2026-11-23T08:00:00.000Z');

describe('createLogger', () => {
  it('writes one JSON object per line at or above the level', () => {
    const out = capture();
    const log = createLogger({ level: 'info', stream: out.stream, now, base: { app: 'digest' } });
    log.debug({ x: 1 }, 'hidden');
    log.info({ count: 2n, job: 'am' }, 'fetched');
    log.warn({}, 'careful');
    log.child({ runId: 'r1' }).error({ step: 'send' });
    expect(out.lines()).toEqual([
      { level: 'info', time: '2026-11-23T08:00:00.000Z', app: 'digest', count: '2', job: 'am', msg: 'fetched' },
      { level: 'warn', time: '2026-11-23T08:00:00.000Z', app: 'digest', msg: 'careful' },
      { level: 'error', time: '2026-11-23T08:00:00.000Z', app: 'digest', runId: 'r1', step: 'send' },
    ]);
  });

  it('replaces every secret in URLs, nested JSON strings and error messages, stacks and causes', () => {
    const out = capture();
    const log = createLogger({ level: 'debug', stream: out.stream, redact: createRedactor([KEY, PASS]), now });
    log.info({ url: `https://api.test/v1?key=${encodeURIComponent(KEY)}` }, `calling with ${KEY}`);
    log.debug({ body: JSON.stringify({ auth: { password: PASS } }) });
    const err = Object.assign(new Error(`login failed for imap://dana:${encodeURIComponent(PASS)}@127.0.0.1`, {
      cause: new Error(`server said: bad password ${PASS}`),
    }), { code: 'EAUTH', response: { headers: { 'x-api-key': KEY } } });
    log.error({ err }, 'imap');
    log.warn(new Error(`bare error ${KEY}`));
    const raw = out.raw();
    expect(raw).not.toContain(KEY);
    expect(raw).not.toContain('p@ss');
    expect(raw).not.toContain(encodeURIComponent(PASS));
    const [l1, l2, l3, l4] = out.lines() as [Record<string, unknown>, ...Array<Record<string, unknown>>];
    expect(l1?.url).toBe('https://api.test/v1?key=[REDACTED]');
    expect(l1?.msg).toBe('calling with [REDACTED]');
    expect(l2?.body).toBe('{"auth":{"password":"[REDACTED]"}}');
    const e = l3?.err as { type: string; message: string; stack: string; code: string; cause: { message: string } };
    expect(e.type).toBe('Error');
    expect(e.code).toBe('EAUTH');
    expect(e.message).toBe('login failed for imap://dana:[REDACTED]@127.0.0.1');
    expect(e.stack).toContain('[REDACTED]');
    expect(e.cause.message).toBe('server said: bad password [REDACTED]');
    expect((l4?.err as { message: string } | undefined)?.message).toBe('bare error [REDACTED]');
  });

  it('checks its options', () => {
    expect(() => createLogger({ level: 'loud' as never })).toThrow(/option level .*"loud"/);
    const out = capture();
    createLogger({ level: 'silent', stream: out.stream }).error({}, 'x');
    expect(out.raw()).toBe('');
  });
});
