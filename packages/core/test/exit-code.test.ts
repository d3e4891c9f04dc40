// Covers exitCodeOf and exitCodeFor: an error's own exit code wins, anything else is a failure.
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor, exitCodeOf } from '../src/exit-code.ts';

describe('exitCodeOf', () => {
  it('takes the exit code an error carries', () => {
    expect(exitCodeOf(Object.assign(new Error('bad key'), { exitCode: 78 }))).toBe(78);
    expect(exitCodeOf(Object.assign(new Error('bad flag'), { exitCode: 2 }))).toBe(2);
  });

  it('gives 1 to foreign errors, thrown non-errors, and codes that are not the suite’s', () => {
    expect(exitCodeOf(new TypeError('x'))).toBe(1);
    expect(exitCodeOf('a string')).toBe(1);
    expect(exitCodeOf(undefined)).toBe(1);
    expect(exitCodeOf({ exitCode: 0 })).toBe(1);
    expect(exitCodeOf({ exitCode: 9 })).toBe(1);
    expect(exitCodeOf({ exitCode: '78' })).toBe(1);
  });
});

describe('exitCodeFor', () => {
  it('maps configuration codes to 78 and usage codes to 2', () => {
    const kinds = { config: new Set(['ECONFIG', 'ENOFILE']), usage: ['EUSAGE'] };
    expect(exitCodeFor('ENOFILE', kinds)).toBe(EXIT.config);
    expect(exitCodeFor('EUSAGE', kinds)).toBe(EXIT.usage);
    expect(exitCodeFor('ETIMEDOUT', kinds)).toBe(EXIT.failure);
  });
});
