// Covers the row contract: parseRow/validateRow accept contract rows, refuse each wrong field type
// with EROW naming the field, drop unknown fields, and serializeRow writes contract order on one line.
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../src/errors.ts';
import { type LedgerRow, parseRow, serializeRow, validateRow } from '../src/row.ts';
import { row } from './helpers.ts';

const CONTRACT_ORDER = [
  'ts', 'run_id', 'app', 'job', 'call_site', 'path', 'host', 'model', 'input_tokens', 'output_tokens',
  'cache_creation_input_tokens', 'cache_read_input_tokens', 'usd', 'latency_ms', 'attempts', 'outcome', 'request_id',
];

function rowError(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError');
}

describe('parseRow', () => {
  it('round-trips a contract row, with null usd and request_id and the optional extras', () => {
    const r = row({ usd: null, request_id: null, reason: 'atomic task to api', error_code: 'EOVERLOADED' });
    expect(parseRow(JSON.stringify(r))).toEqual(r);
  });

  it.each<[string, unknown]>([
    ['ts', '23 Nov 2026'],
    ['ts', '2026-11-23T09:00:00'], // no zone: ambiguous, refused
    ['ts', 1764000000000],
    ['run_id', 7],
    ['app', null],
    ['job', undefined],
    ['call_site', ['x']],
    ['path', 'bedrock'],
    ['host', false],
    ['model', {}],
    ['input_tokens', -1],
    ['output_tokens', 1.5],
    ['cache_creation_input_tokens', '0'],
    ['cache_read_input_tokens', null],
    ['usd', -0.01],
    ['usd', '0.01'],
    ['usd', true],
    ['latency_ms', null],
    ['attempts', 0.5],
    ['outcome', 'refused'],
    ['request_id', 12],
    ['reason', 3],
    ['error_code', null],
  ])('refuses %s = %j with EROW naming the field', (field, value) => {
    const bad: Record<string, unknown> = { ...row(), [field]: value };
    if (value === undefined) delete bad[field];
    const err = rowError(() => parseRow(JSON.stringify(bad)));
    expect(err.code).toBe('EROW');
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
  });

  it('refuses a torn line and a non-object with EROW', () => {
    const line = JSON.stringify(row());
    const torn = rowError(() => parseRow(line.slice(0, 120)));
    expect(torn.code).toBe('EROW');
    expect(torn.cause).toBeInstanceOf(SyntaxError);
    expect(rowError(() => parseRow('[1,2]')).code).toBe('EROW');
    expect(rowError(() => parseRow('null')).code).toBe('EROW');
  });

  it('drops unknown fields, so a newer writer does not break this reader', () => {
    const parsed = parseRow(JSON.stringify({ ...row(), added_later: 1 }));
    expect(parsed).toEqual(row());
    expect(Object.keys(parsed)).not.toContain('added_later');
  });
});

describe('serializeRow', () => {
  it('writes one line in contract order, extras last, and refuses an invalid row', () => {
    const r = row({ error_code: 'E1', reason: 'why\nnot', input_tokens: 5 });
    const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as LedgerRow;
    const line = serializeRow(shuffled);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(Object.keys(JSON.parse(line))).toEqual([...CONTRACT_ORDER, 'reason', 'error_code']);
    expect(rowError(() => serializeRow({ ...r, outcome: 'maybe' } as unknown as LedgerRow)).field).toBe('outcome');
  });

  it('validateRow refuses NaN and Infinity (JSON would turn them into null, an unknown cost)', () => {
    expect(rowError(() => validateRow(row({ usd: Number.NaN }))).field).toBe('usd');
    expect(rowError(() => validateRow(row({ latency_ms: Number.POSITIVE_INFINITY }))).field).toBe('latency_ms');
  });

  it('validateRow returns a copy holding contract fields only', () => {
    const input = { ...row(), secret: 'sk-should-not-be-written' };
    const out = validateRow(input);
    expect(out).not.toBe(input);
    expect(JSON.stringify(out)).not.toContain('sk-should');
  });
});
