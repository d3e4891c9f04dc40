/**
 * The suite's IMAP fault proxy, a TCP proxy in front of a real IMAP server (dovecot): counts the
 * bytes the client receives, records and lets a test watch what the client sends, can rewrite
 * server lines (hide `\*` from PERMANENTFLAGS, as Exchange does), drop every open connection
 * (a NAT or server restart) or the one sending a given command, refuse the next connections, or
 * accept and never answer (a silent server).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { ImapProxy, ImapProxyOptions } from './internal/imap-proxy-types.ts';

export { hideKeywordPermission, type ImapProxy, type ImapProxyOptions } from './internal/imap-proxy-types.ts';

/** Starts a proxy on 127.0.0.1, port 0, forwarding to `target`. */
export async function startImapProxy(target: { host: string; port: number }, options: ImapProxyOptions = {}): Promise<ImapProxy> {
  const open = new Set<Socket>();
  let bytesToClient = 0;
  const clientLines: string[] = [];
  let connections = 0;
  let refuse = 0;
  let dropOn: { pattern: RegExp; all: boolean } | null = null;
  let drops = 0;
  let watcher: ((text: string) => void) | null = null;
  const dropAll = () => {
    drops++;
    for (const s of open) s.destroy();
  };
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
    if (options.silent) return;
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
      if (dropOn?.pattern.test(text)) {
        const all = dropOn.all;
        dropOn = null;
        if (all) return dropAll();
        drops++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
      watcher?.(text);
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
    get drops() {
      return drops;
    },
    dropAll,
    refuseNext(n) {
      refuse += n;
    },
    dropOnClientLine(pattern, o = {}) {
      dropOn = { pattern, all: o.all === true };
    },
    watch(fn) {
      watcher = fn;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
