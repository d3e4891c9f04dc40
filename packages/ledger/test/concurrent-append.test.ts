// Covers appends from real, separate processes: 4 writers x 500 rows of ~400 bytes on one file give
// exactly 2,000 whole rows, and the file is 0600 (its new directory 0700) even under umask 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../src/read.ts';
import { parseRow } from '../src/row.ts';
import { recordingLogger, tempDir } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/append-rows.ts', import.meta.url));
const PKG = fileURLToPath(new URL('..', import.meta.url));

function startWriter(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    cwd: PKG,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves with the first stdout line, rejects if the process exits first. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`writer exited with ${code} before its first line`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('appends from several processes', () => {
  it('4 processes x 500 rows of ~400 bytes give exactly 2,000 whole, parseable rows', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    const writers = ['1', '2', '3', '4'].map((id) => startWriter([path, id, '500', '--wait']));
    const done = writers.map(exited);
    // Wait until every writer is up, then release them together so their appends overlap.
    expect(await Promise.all(writers.map(firstLine))).toEqual(['ready', 'ready', 'ready', 'ready']);
    for (const w of writers) w.stdin?.end('go\n');
    for (const r of await Promise.all(done)) expect(r).toEqual({ code: 0, stderr: '' });

    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(2000);
    const seen = new Set<string>();
    for (const line of lines) {
      // A split write would show up as a short line, a long line or a parse failure.
      expect(line.length).toBeGreaterThan(380);
      expect(line.length).toBeLessThan(420);
      const row = parseRow(line);
      expect(row.reason?.startsWith(`${row.call_site}:`)).toBe(true);
      seen.add(row.call_site);
    }
    const expected = new Set<string>();
    for (const id of [1, 2, 3, 4]) for (let seq = 0; seq < 500; seq++) expected.add(`w${id}-${seq}`);
    expect(seen).toEqual(expected);

    // And the reader agrees: nothing skipped, nothing warned.
    const log = recordingLogger();
    const reader = readLedger(path, { logger: log.logger });
    let n = 0;
    for await (const _ of reader) n += 1;
    expect(n).toBe(2000);
    expect(reader.stats).toEqual({ rows: 2000, skipped: 0, filtered: 0 });
    expect(log.lines).toEqual([]);
  }, 120_000);

  it('creates the file 0600 and its missing directory 0700 under umask 0', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state', 'jobs', 'ledger.jsonl');
    const child = startWriter([path, '1', '3', '--umask0']);
    expect(await exited(child)).toEqual({ code: 0, stderr: '' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'state', 'jobs'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'state'))).mode & 0o777).toBe(0o700);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);

    // Control: under the same umask a plain write is world-readable, so the check above can fail.
    const naive = join(dir, 'naive.txt');
    const control = spawn(process.execPath, [
      '-e',
      `process.umask(0); require('node:fs').writeFileSync(${JSON.stringify(naive)}, 'x')`,
    ]);
    expect(await exited(control)).toEqual({ code: 0, stderr: '' });
    expect((await stat(naive)).mode & 0o777).toBe(0o666);
  }, 60_000);
});
