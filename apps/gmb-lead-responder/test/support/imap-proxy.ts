/**
 * A TCP proxy in front of dovecot for fault tests: hide `\*` from PERMANENTFLAGS (a server
 * without keywords, as Exchange), drop every connection when the client sends a given
 * command, accept connections and never answer (a silent server), or let a test watch what
 * the client sends (the crash test kills the client right after a given command went out).
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export interface ImapProxy {
  readonly host: string;
  readonly port: number;
  /** Drops all connections once, the first time a client line contains `command` (e.g. 'APPEND'). */
  dropOn(command: string): void;
  /** Connections dropped so far. */
  readonly drops: number;
  /** Calls `fn` with each chunk the client sent, once it was passed on to the server; null stops. */
  watch(fn: ((text: string) => void) | null): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ImapProxyOptions {
  /** Hide `\*` in PERMANENTFLAGS. */
  readonly noKeywords?: boolean;
  /** Accept and say nothing, forever. */
  readonly silent?: boolean;
}

function stripKeywordFlag(chunk: Buffer): Buffer {
  const text = chunk.toString('latin1');
  if (!text.includes('[PERMANENTFLAGS (')) return chunk;
  return Buffer.from(text.replace(/\[PERMANENTFLAGS \(([^)]*)\)\]/g, (_all, flags: string) => `[PERMANENTFLAGS (${flags.split(' ').filter((f) => f !== '\\*' && f !== '').join(' ')})]`), 'latin1');
}

/** Starts a proxy to `target` on 127.0.0.1, port 0. */
export async function startImapProxy(target: { host: string; port: number }, options: ImapProxyOptions = {}): Promise<ImapProxy> {
  const sockets = new Set<Socket>();
  let dropCommand: string | null = null;
  let watcher: ((text: string) => void) | null = null;
  let drops = 0;
  const dropAll = () => {
    drops++;
    for (const s of sockets) s.destroy();
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (options.silent) return;
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (chunk: Buffer) => client.write(options.noKeywords ? stripKeywordFlag(chunk) : chunk));
    client.on('data', (chunk: Buffer) => {
      if (dropCommand && chunk.toString('latin1').toUpperCase().includes(` ${dropCommand} `)) {
        dropCommand = null;
        dropAll();
        return;
      }
      upstream.write(chunk);
      watcher?.(chunk.toString('latin1'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    host: '127.0.0.1',
    port,
    dropOn(command) {
      dropCommand = command.toUpperCase();
    },
    get drops() {
      return drops;
    },
    watch(fn) {
      watcher = fn;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
