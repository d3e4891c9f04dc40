/**
 * A TCP proxy in front of an IMAP server that answers some commands itself the way
 * Microsoft 365 does when it throttles a mailbox, instead of passing them on:
 * `NO [THROTTLED] Request is throttled...`, `NO Server Unavailable. 15` (no response code),
 * or `NO [LIMIT] Too many simultaneous connections`. Everything else is forwarded as is.
 *
 * @example
 * await using proxy = await startThrottleProxy(imap);
 * proxy.throttleNext(2, /^AUTHENTICATE /i, 'unavailable');
 * // connect to proxy.host:proxy.port: two AUTHENTICATEs are refused, the third reaches dovecot
 */
import { createConnection, createServer, type Socket } from 'node:net';

/** Which answer a throttled command gets. */
export type ThrottleAnswer = 'throttled' | 'unavailable' | 'limit';

/** A running proxy. */
export interface ThrottleProxy {
  readonly host: string;
  readonly port: number;
  /** Commands answered by the proxy so far (tag removed). */
  readonly throttled: readonly string[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** The next `count` client commands matching `command` (the line without its tag) get `answer`. */
  throttleNext(count: number, command: RegExp, answer: ThrottleAnswer): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const TEXT: Record<ThrottleAnswer, string> = {
  throttled: 'NO [THROTTLED] Request is throttled. Suggested Backoff Time: 100 milliseconds',
  unavailable: 'NO Server Unavailable. 15',
  limit: 'NO [LIMIT] Too many simultaneous connections',
};

/** Starts the proxy on 127.0.0.1, port 0, forwarding to `target`. */
export async function startThrottleProxy(target: { host: string; port: number }): Promise<ThrottleProxy> {
  const rules: { count: number; command: RegExp; answer: ThrottleAnswer }[] = [];
  const throttled: string[] = [];
  const open = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = createConnection(target);
    open.add(client).add(upstream);
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        open.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let at = pending.indexOf('\n');
      while (at >= 0) {
        const line = pending.slice(0, at + 1);
        pending = pending.slice(at + 1);
        const space = line.indexOf(' ');
        const tag = space > 0 ? line.slice(0, space) : '';
        const command = space > 0 ? line.slice(space + 1).trimEnd() : '';
        const rule = rules.find((r) => r.count > 0 && r.command.test(command));
        if (rule !== undefined && tag !== '') {
          rule.count--;
          throttled.push(command.split(' ')[0] ?? command);
          client.write(`${tag} ${TEXT[rule.answer]}\r\n`);
        } else {
          upstream.write(Buffer.from(line, 'latin1'));
        }
        at = pending.indexOf('\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of open) s.destroy();
    });
    return closed;
  };
  return {
    host: '127.0.0.1',
    port,
    throttled,
    get connections() {
      return connections;
    },
    throttleNext: (count, command, answer) => rules.push({ count, command, answer }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
