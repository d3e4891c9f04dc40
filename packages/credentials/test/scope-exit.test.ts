// Covers a job process failing on bad credentials: exit 78, every key named, and no network I/O before it.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv } from '../src/child-env.ts';
import { tempDir, writeEnv } from './helpers/tmp.ts';

const JOB = fileURLToPath(new URL('./fixtures/job.ts', import.meta.url));
const PKG = fileURLToPath(new URL('..', import.meta.url));

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** A loopback server that counts the connections it accepts. */
async function countingServer(): Promise<{ url: string; connections: () => number }> {
  let count = 0;
  server = createServer((_req, res) => res.end('ok'));
  server.on('connection', () => {
    count += 1;
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, connections: () => count };
}

function runJob(url: string, envFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { env } = childEnv('plain', { parentEnv: process.env });
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', JOB, url, envFile], { cwd: PKG, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe('a job with bad credentials', () => {
  it('exits 78 naming every bad key and the file, having made no connection', async () => {
    const srv = await countingServer();
    const dir = await tempDir();
    const file = await writeEnv(dir, 'IMAP_PASSWORD=short\nIMAP_PORT=\n');
    const res = await runJob(srv.url, file);
    expect(res.code).toBe(78);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toContain('IMAP_PASSWORD: malformed');
    expect(res.stderr).toContain('IMAP_PORT: missing');
    expect(srv.connections()).toBe(0);
  });

  it('with good credentials, reaches the server (so the count above means something)', async () => {
    const srv = await countingServer();
    const dir = await tempDir();
    const file = await writeEnv(dir, 'IMAP_PASSWORD=long-enough-pw\nIMAP_PORT=993\n');
    const res = await runJob(srv.url, file);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('ok 993\n');
    expect(srv.connections()).toBe(1);
  });
});
