// Covers @jobs/testkit/silent-imap: enough IMAP to log in (LOGIN, AUTHENTICATE PLAIN, literals), then
// silence or a dropped connection; imapflow with short timeouts fails instead of hanging.
import { connect, type Socket } from 'node:net';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { type SilentImap, startSilentImap } from '../src/silent-imap.ts';

function client(imap: SilentImap, pass = imap.password): { flow: ImapFlow; errors: Error[] } {
  const flow = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    auth: { user: imap.user, pass },
    logger: false,
    socketTimeout: 400,
    greetingTimeout: 2000,
    connectionTimeout: 2000,
  });
  const errors: Error[] = [];
  flow.on('error', (error: Error) => errors.push(error)); // without it a socket timeout kills the process
  return { flow, errors };
}

/** A raw connection that collects everything the server sends. */
async function raw(imap: SilentImap): Promise<{ socket: Socket; received: () => string; waitFor: (re: RegExp) => Promise<string> }> {
  const socket = connect(imap.port, imap.host);
  let data = '';
  const waiters = new Set<() => void>();
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    data += chunk;
    for (const w of [...waiters]) w();
  });
  socket.on('error', () => {});
  const waitFor = (re: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} in ${JSON.stringify(data)}`)), 5000);
      const check = (): void => {
        const m = re.exec(data);
        if (m) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m[0]);
        }
      };
      waiters.add(check);
      check();
    });
  await waitFor(/^\* OK .*\r\n/);
  return { socket, received: () => data, waitFor };
}

describe('silent after login (default)', () => {
  it('imapflow logs in, then its connect() fails on the socket timeout instead of hanging', async () => {
    await using imap = await startSilentImap();
    const { flow } = client(imap);
    const started = performance.now();
    await expect(flow.connect()).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(performance.now() - started).toBeLessThan(5000);
    const auth = imap.commands.find((c) => c.name === 'LOGIN' || c.name === 'AUTHENTICATE');
    expect(auth?.answered).toBe(true);
    // What imapflow sent next (LIST "" "" for the delimiter) got no answer.
    expect(imap.commands.at(-1)?.answered).toBe(false);
    expect(flow.usable).toBe(false);
  }, 10_000);

  it("after: 'select' lets imapflow connect and open INBOX, then a search fails instead of hanging", async () => {
    await using imap = await startSilentImap({ after: 'select' });
    const { flow, errors } = client(imap);
    await flow.connect();
    const box = await flow.mailboxOpen('INBOX');
    expect(box.exists).toBe(0);
    const started = performance.now();
    // search() rejects; imapflow's noop() resolves and status() returns false on the same timeout.
    await expect(flow.search({ all: true })).rejects.toMatchObject({ code: 'NoConnection' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(imap.commands.at(-1)?.answered).toBe(false);
    expect(errors.map((e) => (e as Error & { code?: string }).code)).toContain('ETIMEOUT');
  }, 10_000);

  it('refuses a wrong password and keeps answering until a login succeeds', async () => {
    await using imap = await startSilentImap({ user: 'carole', password: 'right-pw' });
    const { flow } = client(imap, 'wrong-pw');
    await expect(flow.connect()).rejects.toThrow();
    expect(imap.commands.every((c) => c.answered)).toBe(true);
    expect(imap.commands.map((c) => c.line).join('\n')).not.toContain('wrong-pw');
  }, 10_000);

  it('speaks LOGIN with a literal and AUTHENTICATE PLAIN with a continuation, then says nothing', async () => {
    await using imap = await startSilentImap({ user: 'u1', password: 'p1' });
    const a = await raw(imap);
    a.socket.write('a1 CAPABILITY\r\n');
    await a.waitFor(/a1 OK/);
    expect(a.received()).toContain('* CAPABILITY IMAP4rev1 AUTH=PLAIN');
    a.socket.write('a2 LOGIN u1 {2}\r\n');
    await a.waitFor(/\+ Ready/);
    a.socket.write('p1\r\n');
    await a.waitFor(/a2 OK/);

    const b = await raw(imap);
    b.socket.write('b1 AUTHENTICATE PLAIN\r\n');
    await b.waitFor(/\r\n\+ \r\n/);
    b.socket.write(`${Buffer.from('\0u1\0p1').toString('base64')}\r\n`);
    await b.waitFor(/b1 OK/);

    const before = a.received();
    a.socket.write('a3 NOOP\r\n');
    await expect.poll(() => imap.commands.some((c) => c.tag === 'a3')).toBe(true);
    const closed = new Promise((resolve) => a.socket.once('close', resolve));
    await imap.close();
    await closed;
    // Anything the server had written for a3 would have arrived before the close.
    expect(a.received()).toBe(before);
    expect(imap.connections()).toBe(2);
    expect(imap.commands.find((c) => c.tag === 'a2')?.line).toBe('a2 LOGIN ***');
  }, 10_000);
});

describe('drop and counted modes', () => {
  it('drops the connection on the command after N answered ones', async () => {
    await using imap = await startSilentImap({ after: 1, mode: 'drop' });
    const c = await raw(imap);
    c.socket.write('c1 NOOP\r\n');
    await c.waitFor(/c1 OK/);
    const closed = new Promise((resolve) => c.socket.once('close', resolve));
    c.socket.write('c2 NOOP\r\n');
    await closed;
    expect(c.received()).not.toContain('c2');
    expect(imap.commands.map((x) => [x.tag, x.answered])).toEqual([
      ['c1', true],
      ['c2', false],
    ]);
  });

  it('imapflow fails to connect when the server drops after login, and when it is silent from the start', async () => {
    await using dropping = await startSilentImap({ mode: 'drop' });
    const first = client(dropping);
    await first.flow.connect().then(
      () => expect(first.flow.mailboxOpen('INBOX')).rejects.toThrow(),
      (error: unknown) => expect(error).toBeInstanceOf(Error),
    );
    expect(dropping.commands.at(-1)?.answered).toBe(false);

    await using mute = await startSilentImap({ after: 0 });
    const second = client(mute);
    const started = performance.now();
    await expect(second.flow.connect()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(mute.commands.every((x) => !x.answered)).toBe(true);
  }, 15_000);

  it('checks options, naming the option', async () => {
    for (const [opts, option] of [
      [{ after: -1 }, 'after'],
      [{ mode: 'hang' }, 'mode'],
      [{ host: '10.0.0.1' }, 'host'],
      [{ password: 'has space' }, 'password'],
    ] as const) {
      await expect(startSilentImap(opts as never)).rejects.toMatchObject({ code: 'ECONFIG', option });
    }
  });
});
