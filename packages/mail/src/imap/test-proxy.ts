/**
 * Test-only TCP proxy in front of a real IMAP server: counts the bytes the client receives,
 * records the command lines the client sends, can rewrite server lines (to hide `\*` from PERMANENTFLAGS, as Exchange does), can drop every
 * open connection (a NAT or server restart) and can refuse the next connections.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface ImapProxy {
  readonly host: string;
  readonly port: number;
  /** Bytes sent from the server to clients so far. */
  readonly bytesToClient: number;
  /** Command lines clients sent so far (CRLF removed, each cut at 300 characters). */
  readonly clientLines: readonly string[];
  /** Connections accepted so far (refused ones included). */
  readonly connections: number;
  /** Destroys every open connection, both sides. */
  dropAll(): void;
  /** The next `n` connections are accepted and closed at once. */
  refuseNext(n: number): void;
  /**
   * Once: when a client sends a line matching `pattern`, that connection is cut before the
   * line reaches the server (a drop in the middle of a command, at a known point).
   */
  dropOnClientLine(pattern: RegExp): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of `startImapProxy`. */
export interface ImapProxyOptions {
  /**
   * Rewrites each server line (CRLF included). Lines are whole: the proxy buffers up to LF.
   * `idling` is true between the client's IDLE and its DONE on that connection.
   */
  readonly rewriteServerLine?: (line: string, connection: { readonly idling: boolean }) => string;
}

/** Strips `\*` from PERMANENTFLAGS: the server then looks like one that can not store keywords. */
export function hideKeywordPermission(line: string): string {
  return line.replace(/\[PERMANENTFLAGS \(([^)]*)\)\]/, (_all, flags: string) => {
    const kept = flags.split(' ').filter((f) => f !== '\\*' && f !== '');
    return `[PERMANENTFLAGS (${kept.join(' ')})]`;
  });
}

/** Starts a proxy on 127.0.0.1, port 0, forwarding to `target`. */
export async function startImapProxy(target: { host: string; port: number }, options: ImapProxyOptions = {}): Promise<ImapProxy> {
  const open = new Set<Socket>();
  let bytesToClient = 0;
  const clientLines: string[] = [];
  let connections = 0;
  let refuse = 0;
  let dropOn: RegExp | null = null;
  const server: Server = createServer((client) => {
    connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (refuse > 0) {
      refuse--;
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const state = { idling: false };
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      for (const line of text.split(/\r?\n/)) if (line !== '') clientLines.push(line.slice(0, 300));
      if (/^\S+ IDLE\r?\n/i.test(text)) state.idling = true;
      if (/^DONE\r?\n/i.test(text)) state.idling = false;
      if (dropOn?.test(text)) {
        dropOn = null;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    let pending = '';
    upstream.on('data', (chunk: Buffer) => {
      let out: string | Buffer = chunk;
      if (options.rewriteServerLine) {
        pending += chunk.toString('latin1');
        const end = pending.lastIndexOf('\n');
        if (end < 0) return;
        const lines = pending.slice(0, end + 1).split(/(?<=\n)/);
        pending = pending.slice(end + 1);
        const rewrite = options.rewriteServerLine;
        out = Buffer.from(lines.map((line) => rewrite(line, state)).join(''), 'latin1');
      }
      bytesToClient += out.length;
      client.write(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
  const close = async () => {
    for (const s of open) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    host: '127.0.0.1',
    port: address.port,
    get bytesToClient() {
      return bytesToClient;
    },
    get clientLines() {
      return clientLines;
    },
    get connections() {
      return connections;
    },
    dropAll() {
      for (const s of open) s.destroy();
    },
    refuseNext(n) {
      refuse += n;
    },
    dropOnClientLine(pattern) {
      dropOn = pattern;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
