// SecretSet: values added during a run are redacted from then on, in every form the redactor knows.
import { describe, expect, it } from 'vitest';
import { SecretSet } from '../src/secret-set.ts';

describe('SecretSet', () => {
  it('redacts what was added, and nothing before', () => {
    const set = new SecretSet();
    expect(set.redact('token ya29.abcdef')).toBe('token ya29.abcdef');
    set.add('ya29.abcdef');
    set.add(undefined);
    set.add('');
    expect(set.redact('token ya29.abcdef and again ya29.abcdef')).toBe('token [REDACTED] and again [REDACTED]');
    set.add('1//refresh');
    expect(set.redact(JSON.stringify({ refresh: '1//refresh' }))).toBe('{"refresh":"[REDACTED]"}');
  });
});
