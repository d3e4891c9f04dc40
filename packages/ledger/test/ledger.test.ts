// Covers createLedger (lazy, one line per append, 0600 file / 0700 dirs, invalid rows refused,
// loose-mode warning, write errors) and the location helpers resolveLedgerPath and defaultStateDir.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../src/errors.ts';
import { createLedger, defaultStateDir, resolveLedgerPath } from '../src/ledger.ts';
import type { LedgerRow } from '../src/row.ts';
import { recordingLogger, row, tempDir } from './helpers.ts';

async function caught(p: Promise<unknown> | (() => unknown)): Promise<LedgerError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError');
}

describe('createLedger', () => {
  it('touches nothing until the first append, then creates dirs 0700 and the file 0600', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a', 'b', 'ledger.jsonl');
    const ledger = createLedger({ path });
    expect(ledger.path).toBe(path);
    await expect(stat(join(dir, 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
    await ledger.append(row());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'a', 'b'))).mode & 0o777).toBe(0o700);
  });

  it('appends one JSON line per row and never rewrites earlier ones', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    const ledger = createLedger({ path });
    await ledger.append(row({ call_site: 'one' }));
    const first = await readFile(path, 'utf8');
    await ledger.append(row({ call_site: 'two', usd: null }));
    await createLedger({ path }).append(row({ call_site: 'three' }));
    const text = await readFile(path, 'utf8');
    expect(text.startsWith(first)).toBe(true);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((l) => (JSON.parse(l) as LedgerRow).call_site)).toEqual(['one', 'two', 'three']);
    expect((JSON.parse(lines[1]!) as LedgerRow).usd).toBeNull();
  });

  it('refuses an invalid row with EROW and writes nothing', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    const err = await caught(createLedger({ path }).append(row({ input_tokens: -5 })));
    expect(err).toMatchObject({ code: 'EROW', field: 'input_tokens' });
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('warns once, with the chmod that fixes it, when an existing ledger is readable by others', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    await writeFile(path, '', { mode: 0o644 });
    const log = recordingLogger();
    const ledger = createLedger({ path, logger: log.logger });
    await ledger.append(row());
    await ledger.append(row());
    expect(log.warnings()).toHaveLength(1);
    expect(log.warnings()[0]?.obj).toEqual({ path, mode: '644' });
    expect(log.warnings()[0]?.msg).toContain(`chmod 600 ${path}`);
    // The file's mode is the owner's call: left as it was.
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  it('fails with EWRITE naming the path when the file cannot be created', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plain-file'), 'x');
    const path = join(dir, 'plain-file', 'ledger.jsonl'); // parent is a file: ENOTDIR / EEXIST
    const err = await caught(createLedger({ path }).append(row()));
    expect(err.code).toBe('EWRITE');
    expect(err.path).toBe(path);
    expect(err.message).toContain(path);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it.each<[string, unknown]>([
    ['path', 'ledger.jsonl'],
    ['path', ''],
    ['path', undefined],
    ['logger', { warn() {} }],
  ])('refuses option %s = %j with EOPTION naming it', async (option, value) => {
    const options = { path: '/tmp/ledger.jsonl', [option]: value } as Parameters<typeof createLedger>[0];
    const err = await caught(() => createLedger(options));
    expect(err.code).toBe('EOPTION');
    expect(err.option).toBe(option);
    expect(err.message).toContain(option);
  });
});

describe('resolveLedgerPath', () => {
  it('uses $COST_LEDGER when set, else <stateDir>/ledger.jsonl', () => {
    expect(resolveLedgerPath({ costLedger: '/var/lib/jobs/cost.jsonl', stateDir: '/s' })).toBe('/var/lib/jobs/cost.jsonl');
    expect(resolveLedgerPath({ costLedger: undefined, stateDir: '/home/ops/.local/state/jobs' })).toBe(
      '/home/ops/.local/state/jobs/ledger.jsonl',
    );
    expect(resolveLedgerPath({ costLedger: '', stateDir: '/s' })).toBe('/s/ledger.jsonl');
    expect(resolveLedgerPath({ stateDir: '/s/' })).toBe('/s/ledger.jsonl');
  });

  it('refuses relative paths, naming the input and its value', async () => {
    const a = await caught(() => resolveLedgerPath({ costLedger: './ledger.jsonl', stateDir: '/s' }));
    expect(a.code).toBe('EOPTION');
    expect(a.message).toContain('COST_LEDGER');
    expect(a.message).toContain('"./ledger.jsonl"');
    expect((await caught(() => resolveLedgerPath({ stateDir: 'state' }))).option).toBe('stateDir');
  });
});

describe('defaultStateDir', () => {
  it('is $JOBS_STATE_DIR when set and not empty, else ~/.local/state/jobs', () => {
    expect(defaultStateDir({ env: { JOBS_STATE_DIR: '/srv/jobs' }, home: '/home/ops' })).toBe('/srv/jobs');
    expect(defaultStateDir({ env: {}, home: '/home/ops' })).toBe('/home/ops/.local/state/jobs');
    expect(defaultStateDir({ env: { JOBS_STATE_DIR: '' }, home: '/root' })).toBe('/root/.local/state/jobs');
  });

  it('refuses a relative JOBS_STATE_DIR or home', async () => {
    expect((await caught(() => defaultStateDir({ env: { JOBS_STATE_DIR: 'x' }, home: '/h' }))).option).toBe(
      'env.JOBS_STATE_DIR',
    );
    expect((await caught(() => defaultStateDir({ env: {}, home: '' }))).option).toBe('home');
  });
});
