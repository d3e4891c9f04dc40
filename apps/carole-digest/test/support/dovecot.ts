/**
 * Test support for IMAP: the dovecot harness, a raw IMAP client for what imapflow does not
 * offer (THREAD=REFERENCES, flags as the server has them), a server that goes silent after
 * login, and the sample Maildir as deliverable messages.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { SAMPLE_MAILDIR } from './sample.ts';

export { type Dovecot, startDovecot } from '@jobs/testkit/dovecot';

/** The sample's messages in delivery order, with their Maildir flags as IMAP flags. */
export async function sampleMessages(): Promise<Array<{ raw: Buffer; flags: string[] }>> {
  const out: Array<{ name: string; raw: Buffer; flags: string[] }> = [];
  for (const sub of ['cur', 'new']) {
    for (const name of await readdir(join(SAMPLE_MAILDIR, sub))) {
      if (name.startsWith('.')) continue;
      const info = name.split(':2,')[1] ?? '';
      const flags = [...info].map((c) => ({ S: '\\Seen', R: '\\Answered', F: '\\Flagged' })[c]).filter((f): f is string => !!f);
      out.push({ name, raw: await readFile(join(SAMPLE_MAILDIR, sub, name)), flags });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name)).map(({ raw, flags }) => ({ raw, flags }));
}

/** Sends tagged commands over a plain connection and collects each full response. */
export async function rawImap(port: number, user: string, password: string, commands: readonly string[]): Promise<string[]> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setTimeout(30_000, () => socket.destroy(new Error('raw IMAP timed out')));
  let buffer = '';
  let waiting: { tag: string; resolve: (s: string) => void; reject: (e: Error) => void } | null = null;
  let greeted: () => void = () => {};
  const greeting = new Promise<void>((r) => {
    greeted = r;
  });
  socket.on('data', (d) => {
    buffer += d.toString('utf8');
    if (buffer.includes('\r\n')) greeted();
    if (waiting) {
      const m = new RegExp(`^${waiting.tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`, 'm').exec(buffer);
      if (m) {
        const text = buffer.slice(0, m.index + m[0].length);
        buffer = buffer.slice(m.index + m[0].length);
        const w = waiting;
        waiting = null;
        if (m[1] === 'OK') w.resolve(text);
        else w.reject(new Error(`IMAP ${m[1]}: ${m[0].trim()}`));
      }
    }
  });
  const errored = new Promise<never>((_, reject) => socket.once('error', reject));
  const send = (tag: string, command: string) =>
    Promise.race([
      errored,
      new Promise<string>((resolve, reject) => {
        waiting = { tag, resolve, reject };
        socket.write(`${tag} ${command}\r\n`);
      }),
    ]);
  try {
    await Promise.race([greeting, errored]);
    buffer = '';
    await send('a0', `LOGIN "${user}" "${password}"`);
    const out: string[] = [];
    for (const [i, c] of commands.entries()) out.push(await send(`a${i + 1}`, c));
    await send('z', 'LOGOUT').catch(() => '');
    return out;
  } finally {
    socket.destroy();
  }
}

/** Number of threads in a `* THREAD` response: its top-level parenthesized groups. */
export function countThreads(response: string): number {
  const line = response.split('\r\n').find((l) => l.startsWith('* THREAD')) ?? '';
  let depth = 0;
  let count = 0;
  for (const c of line.slice('* THREAD'.length)) {
    if (c === '(') {
      if (depth === 0) count++;
      depth++;
    } else if (c === ')') depth--;
  }
  return count;
}

/**
 * `UID FETCH 1:* FLAGS` of a mailbox, as one normalized string per message. `\\Recent` is
 * left out: it is a session flag that any SELECT (ours included) hands over, not stored state.
 */
export async function flagsOf(port: number, user: string, password: string, mailbox = 'INBOX'): Promise<string[]> {
  const [, fetched] = await rawImap(port, user, password, [`EXAMINE "${mailbox}"`, 'UID FETCH 1:* (FLAGS)']);
  return (fetched ?? '').split('\r\n').filter((l) => l.startsWith('* ')).map((l) => l.replace(/^\* \d+ /, '').replace(/ ?\\Recent/g, '').replace('( ', '('));
}

/**
 * An IMAP server that greets, accepts any LOGIN, then answers nothing more: the socket stays
 * open and silent (a hung server). Resolves with its port.
 */
export async function startSilentImap(): Promise<{ port: number; sockets: Set<Socket>; close(): Promise<void>; [Symbol.asyncDispose](): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let loggedIn = false;
    let pending = '';
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] silent test server ready\r\n');
    socket.on('data', (d) => {
      if (loggedIn) return; // silent from here on
      pending += d.toString('utf8');
      let nl = pending.indexOf('\r\n');
      while (nl >= 0 && !loggedIn) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 2);
        const [tag, cmd] = line.split(' ');
        const verb = (cmd ?? '').toUpperCase();
        if (verb === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
        else if (verb === 'LOGIN') {
          socket.write(`${tag} OK logged in\r\n`);
          loggedIn = true;
        } else if (verb === 'AUTHENTICATE') {
          socket.write(`${tag} OK authenticated\r\n`);
          loggedIn = true;
        } else socket.write(`${tag} OK\r\n`);
        nl = pending.indexOf('\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return { port, sockets, close, [Symbol.asyncDispose]: close };
}
