/**
 * Loopback helpers: a free port, and waiting for a server's first line.
 */
import { connect, createServer, type Socket } from 'node:net';

/**
 * A port the kernel just handed out on 127.0.0.1. Another process may take it before we bind
 * it again, so callers that pass it to a child process retry on EADDRINUSE.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Outcome of one attempt to read a greeting. */
export type GreetingResult = { ok: true; line: string } | { ok: false; error: Error };

/**
 * Connects once and resolves with the first CRLF-terminated line the server sends
 * (or the error: ECONNREFUSED while the server is still starting).
 */
export function readGreeting(host: string, port: number, timeoutMs: number): Promise<GreetingResult> {
  return new Promise((resolve) => {
    let buffer = '';
    let settled = false;
    const socket: Socket = connect({ host, port });
    const finish = (result: GreetingResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: new Error(`no greeting within ${timeoutMs} ms`) }),
      timeoutMs,
    );
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\r\n');
      if (end >= 0) finish({ ok: true, line: buffer.slice(0, end) });
    });
    socket.on('error', (error) => finish({ ok: false, error }));
    socket.on('close', () => finish({ ok: false, error: new Error('closed before a greeting') }));
  });
}
