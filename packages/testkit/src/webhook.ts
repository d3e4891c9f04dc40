/**
 * A loopback HTTP server standing in for an alert webhook (Slack incoming webhook, ntfy): it
 * answers 200 to every request and keeps each one's method, path and body, so a test counts
 * the notices a job posted and reads what they said.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface WebhookPost {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Requests so far, in order. */
  readonly posts: WebhookPost[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: WebhookPost[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://127.0.0.1:${port}`, posts, close, [Symbol.asyncDispose]: close };
}
