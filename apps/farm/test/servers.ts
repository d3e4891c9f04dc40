/** Test servers started by the tests themselves on loopback: redis-server and sshd. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** A free loopback port (listen on 0, close, reuse). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Waits (bounded) until something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child.once('close', r));
    child.kill('SIGKILL');
    await done;
  };
}

/** redis-server on a free loopback port, no persistence, in `dir`. */
export async function startRedis(dir: string): Promise<{ url: string; [Symbol.asyncDispose](): Promise<void> }> {
  const port = await freePort();
  await mkdir(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], { stdio: 'ignore' });
  await waitForPort(port);
  return { url: `redis://127.0.0.1:${port}`, [Symbol.asyncDispose]: stopper(child) };
}

/** sshd on a free loopback port with a temp host key and an authorized client key for this user. */
export async function startSshd(dir: string): Promise<{ port: number; user: string; identity: string; knownHosts: string; [Symbol.asyncDispose](): Promise<void> }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const hostKey = join(dir, 'host_ed25519');
  const identity = join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity]);
  const authorized = join(dir, 'authorized_keys');
  await writeFile(authorized, await readFile(`${identity}.pub`), { mode: 0o600 });
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `[127.0.0.1]:${port} ${(await readFile(`${hostKey}.pub`, 'utf8')).trim()}\n`, { mode: 0o600 });
  const config = join(dir, 'sshd_config');
  const user = userInfo().username;
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'PermitUserEnvironment no',
      `AllowUsers ${user}`,
      'LogLevel ERROR',
    ].join('\n'),
    { mode: 0o600 },
  );
  // Privilege separation needs this directory on Debian.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  try {
    await waitForPort(port);
  } catch (e) {
    throw new Error(`sshd did not start: ${err}`, { cause: e });
  }
  return { port, user, identity, knownHosts, [Symbol.asyncDispose]: stopper(child) };
}
