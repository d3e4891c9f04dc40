// Atomic state files: temp + fsync + rename, modes 0600/0700 from creation, torn temp files and torn journal lines after a crash, readable errors.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMailError } from '../../src/errors.ts';
import { appendJsonLine, readJson, readJsonLines, statePath, writeJsonAtomic } from '../../src/state/atomic.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mail-state-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('statePath', () => {
  it('creates the directories on the way with mode 0700', async () => {
    const path = await statePath(root, 'lead-responder', 'journal', 'leads.jsonl');
    expect(path).toBe(join(root, 'lead-responder', 'journal', 'leads.jsonl'));
    expect(await modeOf(join(root, 'lead-responder'))).toBe(0o700);
    expect(await modeOf(join(root, 'lead-responder', 'journal'))).toBe(0o700);
  });

  it('refuses a relative state dir, naming it', async () => {
    const err = await statePath('state', 'x.json').catch((e: unknown) => e);
    expect(isMailError(err, 'ECONFIG')).toBe(true);
    expect((err as Error).message).toContain('stateDir must be an absolute path, got "state"');
  });
});

describe('writeJsonAtomic', () => {
  it('writes a 0600 file, replaces it whole, and leaves no temp file behind', async () => {
    const path = await statePath(root, 'a', 'cp.json');
    await writeJsonAtomic(path, { n: 1 });
    expect(await modeOf(path)).toBe(0o600);
    await writeJsonAtomic(path, { n: 2, more: 'x'.repeat(10_000) });
    expect(await readJson(path)).toEqual({ n: 2, more: 'x'.repeat(10_000) });
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(join(root, 'a'))).toEqual(['cp.json']);
  });

  it('keeps the file 0600 even under a permissive umask (the mode is set at open, not by a later chmod)', async () => {
    const previous = process.umask(0);
    try {
      const path = await statePath(root, 'loose', 'cp.json');
      await writeJsonAtomic(path, { ok: true });
      expect(await modeOf(path)).toBe(0o600);
      expect(await modeOf(join(root, 'loose'))).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });

  it('ignores a torn temp file left by a crash: readers see the last complete write', async () => {
    const path = await statePath(root, 'crash', 'cp.json');
    await writeJsonAtomic(path, { lastUid: 7 });
    // a crash between open and rename leaves a half-written temp file beside the target
    await writeFile(`${path}.4242.deadbeef0000.tmp`, '{"lastUid": 9, "rec', { mode: 0o600 });
    expect(await readJson(path)).toEqual({ lastUid: 7 });
    // and the next write still lands
    await writeJsonAtomic(path, { lastUid: 8 });
    expect(await readJson(path)).toEqual({ lastUid: 8 });
  });

  it('reports a write into a missing directory as ESTATE with the path, and leaves no temp file', async () => {
    const path = join(root, 'missing', 'cp.json');
    const err = await writeJsonAtomic(path, {}).catch((e: unknown) => e);
    expect(isMailError(err, 'ESTATE')).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
    expect((err as { originalCode?: string }).originalCode).toBe('ENOENT');
  });
});

describe('readJson', () => {
  it('reads a missing file as undefined and a corrupt one as ESTATE (never as empty)', async () => {
    expect(await readJson(join(root, 'none.json'))).toBeUndefined();
    const bad = join(root, 'bad.json');
    await writeFile(bad, '{"lastUid": ', { mode: 0o600 });
    const err = await readJson(bad).catch((e: unknown) => e);
    expect(isMailError(err, 'ESTATE')).toBe(true);
    expect((err as Error).message).toContain('inspect or remove it');
  });
});

describe('appendJsonLine / readJsonLines', () => {
  it('appends fsynced lines to a 0600 file and reads them back in order', async () => {
    const path = await statePath(root, 'journal.jsonl');
    await appendJsonLine(path, { event: 'intent', messageId: '<r1@x>' });
    await appendJsonLine(path, { event: 'sent', messageId: '<r1@x>' });
    expect(await modeOf(path)).toBe(0o600);
    expect(await readJsonLines(path)).toEqual({
      values: [
        { event: 'intent', messageId: '<r1@x>' },
        { event: 'sent', messageId: '<r1@x>' },
      ],
      torn: false,
    });
    expect(await readJsonLines(join(root, 'none.jsonl'))).toEqual({ values: [], torn: false });
  });

  it('skips a last line torn by a crash and reports it; a bad line in the middle is an error', async () => {
    const path = await statePath(root, 'journal.jsonl');
    await appendJsonLine(path, { event: 'intent', messageId: '<r2@x>' });
    await writeFile(path, '{"event":"se', { flag: 'a' });
    expect(await readJsonLines(path)).toEqual({ values: [{ event: 'intent', messageId: '<r2@x>' }], torn: true });
    await writeFile(path, '\n{"event":"intent"}\n', { flag: 'a' });
    const err = await readJsonLines(path).catch((e: unknown) => e);
    expect(isMailError(err, 'ESTATE')).toBe(true);
    expect((err as Error).message).toContain('line 2');
    expect(await readFile(path, 'utf8')).toContain('"se');
  });
});
