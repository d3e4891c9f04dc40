// Covers runtime-form: a module's form read off its URL (TypeScript source or the build's
// JavaScript), and the CLI entry each form starts.
import { describe, expect, it } from 'vitest';
import { cliEntry, runtimeFormOf } from '../src/runtime-form.ts';

describe('runtime form', () => {
  it('a .ts module is src, a bundled .js chunk is dist', () => {
    expect(runtimeFormOf(import.meta.url)).toBe('src');
    expect(runtimeFormOf('file:///home/jobs/jobs/apps/farm/src/jobs.ts')).toBe('src');
    expect(runtimeFormOf('file:///home/jobs/jobs/apps/farm/dist/chunk-ABCD1234.js')).toBe('dist');
    expect(runtimeFormOf('file:///home/jobs/jobs.ts/apps/farm/dist/cli.js')).toBe('dist');
  });

  it('names the entry of each form', () => {
    expect(cliEntry('farm', 'src')).toBe('apps/farm/src/cli.ts');
    expect(cliEntry('carole-digest', 'dist')).toBe('apps/carole-digest/dist/cli.js');
  });
});
