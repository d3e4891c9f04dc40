// Covers @jobs/testkit/dovecot: a real private dovecot on loopback: Maildir delivery (strings, buffers, a
// directory, flags, nested mailboxes, 4,150-message bulk), read back with imapflow (UIDs, flags, UIDVALIDITY),
// mailbox create/delete/recreate, special-use folders, THREAD=REFERENCES, cleanup, errors, and an unprivileged run.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, startDovecot } from '../src/dovecot.ts';
import { TestkitError } from '../src/errors.ts';

const msg = (n: number, extra = ''): string =>
  `From: a${n}@example.test\r\nTo: carole@example.test\r\nSubject: m${n}\r\nMessage-ID: <m${n}@example.test>\r\n${extra}\r\nbody ${n}\r\n`;

async function withClient<T>(d: Dovecot, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: d.host,
    port: d.port,
    secure: false,
    auth: { user: d.user, pass: d.password },
    logger: false,
  });
  client.on('error', () => {}); // a socket error must not kill the test process
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

interface Seen {
  uid: number;
  subject: string | undefined;
  flags: string[];
}

async function readMailbox(d: Dovecot, mailbox: string): Promise<{ uidValidity: bigint; messages: Seen[] }> {
  return withClient(d, async (client) => {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const box = client.mailbox === false ? undefined : client.mailbox;
      const messages: Seen[] = [];
      if ((box?.exists ?? 0) > 0) {
        for await (const m of client.fetch('1:*', { uid: true, envelope: true, flags: true })) {
          messages.push({ uid: m.uid, subject: m.envelope?.subject, flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort() });
        }
      }
      return { uidValidity: box?.uidValidity ?? 0n, messages };
    } finally {
      lock.release();
    }
  });
}

describe('a running dovecot', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await startDovecot();
  });
  afterAll(() => d.close());

  it('delivers strings and buffers into INBOX in order, with flags, read back over IMAP', async () => {
    await d.deliver('INBOX', [msg(1), Buffer.from(msg(2))]);
    await d.deliver('INBOX', [msg(3), { raw: msg(4), flags: ['\\Answered'] }], { flags: ['\\Seen', '\\Flagged'] });
    const inbox = await readMailbox(d, 'INBOX');
    expect(inbox.messages).toEqual([
      { uid: 1, subject: 'm1', flags: [] },
      { uid: 2, subject: 'm2', flags: [] },
      { uid: 3, subject: 'm3', flags: ['\\Flagged', '\\Seen'] },
      { uid: 4, subject: 'm4', flags: ['\\Answered'] },
    ]);
    expect(Number(inbox.uidValidity)).toBe(await d.uidValidity('INBOX'));
  });

  it('delivers into a nested mailbox and from a directory of .eml files, sorted by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'testkit-eml-'));
    try {
      await writeFile(join(dir, '10.eml'), msg(10));
      await writeFile(join(dir, '02.eml'), msg(2));
      await writeFile(join(dir, 'notes.txt'), 'not mail');
      const result = await d.deliverDir('Archive/2024', dir, { flags: ['\\Seen'] });
      expect(result.count).toBe(2);
      expect(result.files.every((f) => existsSync(f))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await d.deliver('Archive/2024', [msg(11)]);
    const box = await readMailbox(d, 'Archive/2024');
    expect(box.messages).toEqual([
      { uid: 1, subject: 'm2', flags: ['\\Seen'] },
      { uid: 2, subject: 'm10', flags: ['\\Seen'] },
      { uid: 3, subject: 'm11', flags: [] },
    ]);
    const paths = await withClient(d, async (c) => (await c.list()).map((m) => m.path));
    expect(paths).toEqual(expect.arrayContaining(['Archive', 'Archive/2024']));
  });

  it('keeps the INTERNALDATE given and refuses flags Maildir cannot hold', async () => {
    const when = new Date('2024-03-01T08:00:00Z');
    await d.deliver('Dated', [msg(1)], { internalDate: when });
    const date = await withClient(d, async (client) => {
      const lock = await client.getMailboxLock('Dated');
      try {
        const one = await client.fetchOne('1', { internalDate: true });
        return one === false ? undefined : one.internalDate;
      } finally {
        lock.release();
      }
    });
    expect(new Date(date ?? 0).toISOString()).toBe(when.toISOString());
    await expect(d.deliver('INBOX', [msg(1)], { flags: ['$Handled'] })).rejects.toMatchObject({
      code: 'ECONFIG',
      option: 'flags',
    });
  });

  it('lists the special-use folders Sent, Drafts, Trash and Junk', async () => {
    const list = await withClient(d, (client) => client.list());
    const uses = Object.fromEntries(list.filter((m) => m.specialUse).map((m) => [m.specialUse, m.path]));
    expect(uses).toMatchObject({ '\\Sent': 'Sent', '\\Drafts': 'Drafts', '\\Trash': 'Trash', '\\Junk': 'Junk' });
  });

  it('creates and deletes mailboxes; a recreated mailbox has a new UIDVALIDITY', async () => {
    await d.createMailbox('Projects/Roof');
    const first = await d.uidValidity('Projects/Roof');
    let paths = await withClient(d, async (c) => (await c.list()).map((m) => m.path));
    expect(paths).toContain('Projects/Roof');
    await d.deleteMailbox('Projects/Roof');
    paths = await withClient(d, async (c) => (await c.list()).map((m) => m.path));
    expect(paths).not.toContain('Projects/Roof');
    await d.createMailbox('Projects/Roof');
    expect(await d.uidValidity('Projects/Roof')).not.toBe(first);
    await expect(d.deleteMailbox('No/Such')).rejects.toMatchObject({ code: 'EDOVEADM' });
  });

  it('recreateMailbox keeps messages and flags under a new UIDVALIDITY', async () => {
    await d.deliver('Rebuilt', [msg(1), msg(2)], { flags: ['\\Seen'] });
    const before = await readMailbox(d, 'Rebuilt');
    await d.recreateMailbox('Rebuilt');
    const after = await readMailbox(d, 'Rebuilt');
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(after.messages.map((m) => [m.subject, m.flags])).toEqual(before.messages.map((m) => [m.subject, m.flags]));
  });

  it('a selected client sees a message delivered while it is connected', async () => {
    await d.createMailbox('Live');
    await withClient(d, async (client) => {
      const lock = await client.getMailboxLock('Live');
      try {
        expect(client.mailbox === false ? -1 : client.mailbox.exists).toBe(0);
        await d.deliver('Live', [msg(1)]);
        await client.noop();
        expect(client.mailbox === false ? -1 : client.mailbox.exists).toBe(1);
      } finally {
        lock.release();
      }
    });
  });

  it('counts threads with THREAD=REFERENCES', async () => {
    await d.deliver('Threads', [
      msg(1),
      msg(2, 'In-Reply-To: <m1@example.test>\r\nReferences: <m1@example.test>\r\n').replace('Subject: m2', 'Subject: Re: m1'),
      msg(3),
      msg(4, 'References: <m1@example.test> <m2@example.test>\r\n').replace('Subject: m4', 'Subject: Re: m1'),
    ]);
    expect(await d.threadReferences('Threads')).toBe(2);
    expect(await d.threadGroups('Threads')).toEqual([[1, 2, 4], [3]]);
    expect(await d.threadReferences('Drafts')).toBe(0);
    await expect(d.threadReferences('Missing')).rejects.toMatchObject({ code: 'EIMAP' });
  });
});

describe('bulk delivery', () => {
  it('loads 4,150 messages by file fast, in order, and dovecot threads them', async () => {
    await using d = await startDovecot();
    // 830 conversations of 5 messages, interleaved so no thread is contiguous.
    const threads = 830;
    const messages: string[] = [];
    for (let j = 0; j < 5; j++) {
      for (let t = 0; t < threads; t++) {
        const refs = Array.from({ length: j }, (_, k) => `<t${t}.${k}@example.test>`).join(' ');
        const headers = j === 0 ? '' : `In-Reply-To: <t${t}.${j - 1}@example.test>\r\nReferences: ${refs}\r\n`;
        messages.push(
          `From: p${t}@example.test\r\nSubject: ${j === 0 ? '' : 'Re: '}Topic ${t}\r\nMessage-ID: <t${t}.${j}@example.test>\r\n${headers}\r\nbody\r\n`,
        );
      }
    }
    const started = performance.now();
    const result = await d.deliver('INBOX', messages);
    const deliverMs = performance.now() - started;
    expect(result.count).toBe(4150);
    const threadStart = performance.now();
    const groups = await d.threadGroups('INBOX');
    const threadMs = performance.now() - threadStart;
    expect(groups).toHaveLength(threads);
    const uids = groups.flat().sort((a, b) => a - b);
    expect(uids).toEqual(Array.from({ length: 4150 }, (_, i) => i + 1));
    // UIDs follow delivery order: thread t holds UIDs t+1, t+1+830, ...
    expect(groups.find((g) => g.includes(1))?.sort((a, b) => a - b)).toEqual([1, 831, 1661, 2491, 3321]);
    // A second batch into a mailbox that now has files takes the per-file path, still in order.
    await d.deliver('INBOX', [msg(1), msg(2)], { flags: ['\\Seen'] });
    const status = await d.doveadm(['mailbox', 'status', '-u', d.user, 'messages uidnext', 'INBOX']);
    expect(status).toMatch(/messages=4152 uidnext=4153/);
    console.info(JSON.stringify({ bulk: 4150, deliverMs: Math.round(deliverMs), threadMs: Math.round(threadMs), rootDir: d.rootDir }));
  }, 120_000);
});

describe('lifecycle and errors', () => {
  it('close() removes the temp dir and stops every dovecot process', async () => {
    const d = await startDovecot();
    expect(existsSync(d.configPath)).toBe(true);
    const alive = (): boolean => {
      try {
        process.kill(d.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    await Promise.all([d.close(), d.close()]);
    expect(existsSync(d.rootDir)).toBe(false);
    await expect.poll(alive, { timeout: 10_000, interval: 100 }).toBe(false);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(d.port, d.host);
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
    });
    expect(refused).toBe('ECONNREFUSED');
    await expect(d.createMailbox('After')).rejects.toMatchObject({ code: 'ECLOSED' });
  });

  it('names apt-get install dovecot-imapd when a binary is missing', async () => {
    for (const opts of [{ binary: '/nonexistent/sbin/dovecot' }, { doveadmBinary: '/nonexistent/bin/doveadm' }]) {
      const error = await startDovecot(opts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TestkitError);
      expect(error).toMatchObject({ code: 'EDOVECOT_MISSING' });
      expect((error as Error).message).toContain('apt-get install dovecot-imapd');
      expect((error as Error).message).toContain('/nonexistent/');
    }
  });

  it('checks options, naming the option', async () => {
    for (const [opts, option] of [
      [{ user: 'has space' }, 'user'],
      [{ separator: '|' }, 'separator'],
      [{ startTimeoutMs: -1 }, 'startTimeoutMs'],
    ] as const) {
      await expect(startDovecot(opts as never)).rejects.toMatchObject({ code: 'ECONFIG', option });
    }
  });

  it.runIf(process.getuid?.() === 0 && existsSync('/usr/bin/setpriv'))(
    'runs as an unprivileged user too (every process as that user, no chroot)',
    async () => {
      const fixture = new URL('./fixtures/dovecot-unprivileged.ts', import.meta.url).pathname;
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          'setpriv',
          ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--import', 'tsx', fixture],
          { cwd: new URL('..', import.meta.url).pathname, env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, timeout: 60_000 },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
        );
      });
      const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      expect(seen).toMatchObject({ uid: 65534, subjects: ['one', 'two'], threads: 2 });
      expect(existsSync(seen.rootDir)).toBe(false);
    },
    90_000,
  );
});
