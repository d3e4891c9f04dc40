/** The alert tests' receivers: the SMTP capture and a webhook that records each JSON POST. */
import { createServer, type IncomingMessage } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';

/** A loopback HTTP server keeping each request's path and body. */
export async function startWebhook(): Promise<{ url: string; posts: Array<{ path: string; body: string }>; [Symbol.asyncDispose](): Promise<void> }> {
  const posts: Array<{ path: string; body: string }> = [];
  const srv = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    [Symbol.asyncDispose]: () => new Promise<void>((r) => srv.close(() => r())),
  };
}

/** Starts both and gives the repos.env keys that point the alerts at them. */
export async function alertReceivers() {
  const smtp = await startSmtpCapture();
  const hook = await startWebhook();
  const keys = {
    ALERT_TO: 'owner@example.test',
    ALERT_FROM: 'farm@example.test',
    SMTP_HOST: smtp.host,
    SMTP_PORT: smtp.port,
    SMTP_TLS: 'none',
    SMTP_USER: smtp.user,
    SMTP_PASSWORD: smtp.password,
    ALERT_WEBHOOK_URL: `${hook.url}/hooks/T0KEN-secret`,
    ALERT_PING_URL_DIGEST: `${hook.url}/ping/digest-uuid`,
  };
  return {
    smtp,
    hook,
    keys,
    /** The webhook's alert POSTs (pings excluded). */
    alerts: () => hook.posts.filter((p) => p.path.startsWith('/hooks/')).map((p) => JSON.parse(p.body) as Record<string, unknown>),
    pings: () => hook.posts.filter((p) => p.path.startsWith('/ping/')).map((p) => p.path.slice('/ping/digest-uuid'.length) || '/'),
    async [Symbol.asyncDispose]() {
      await smtp.close();
      await hook[Symbol.asyncDispose]();
    },
  };
}

/** Sets what the alert-job fixture does next. */
export async function setMode(root: string, mode: 'ok' | 'fail' | 'config' | 'hang'): Promise<void> {
  await writeFile(join(root, 'job-mode'), mode);
}
