/**
 * A bare IMAP client for the few commands the harness sends itself (THREAD, which imapflow has
 * no method for). Lines are framed by ImapLineStream so a literal in a response never breaks
 * the framing; nothing here parses more than tagged status lines and the untagged lines asked for.
 */
import { connect, type Socket } from 'node:net';
import { TestkitError } from '../errors.ts';
import { ImapLineStream } from './imap-stream.ts';

/** One command's untagged lines (CRLF removed) and its tagged status text. */
export interface RawReply {
  untagged: string[];
  status: 'OK' | 'NO' | 'BAD';
  text: string;
}

/** Quotes an IMAP string (RFC 3501 quoted: backslash and double quote escaped). */
export function imapQuote(value: string, option: string): string {
  // Non-ASCII would need modified UTF-7 (mailbox names) or a literal: not needed by the harness.
  if (!/^[\x20-\x7e]*$/.test(value)) {
    const shown = option === 'password' ? '' : `, got ${JSON.stringify(value)}`;
    throw new TestkitError('ECONFIG', `${option}: only printable ASCII is supported${shown}`, { option });
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** One connection, one command at a time. */
export class RawImap {
  private readonly socket: Socket;
  private readonly lines: string[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private tag = 0;
  private readonly timeoutMs: number;

  private constructor(socket: Socket, timeoutMs: number) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    const framer = new ImapLineStream((line) => {
      this.lines.push(line.toString('utf8').replace(/\r?\n$/, ''));
      return Buffer.alloc(0);
    });
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      this.wake?.();
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.wake?.();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  /** Connects and reads the greeting. */
  static async open(host: string, port: number, timeoutMs: number): Promise<RawImap> {
    const socket = connect({ host, port });
    const client = new RawImap(socket, timeoutMs);
    const greeting = await client.nextLine();
    if (!greeting.startsWith('* OK')) {
      socket.destroy();
      throw new TestkitError('EIMAP', `unexpected IMAP greeting: ${greeting}`, { command: 'greeting' });
    }
    return client;
  }

  private async nextLine(): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    while (this.lines.length === 0) {
      if (this.failure !== undefined) throw new TestkitError('EIMAP', `IMAP: ${this.failure.message}`, { cause: this.failure });
      const left = deadline - Date.now();
      if (left <= 0) throw new TestkitError('ETIMEOUT', `IMAP: no reply within ${this.timeoutMs} ms`, { durationMs: this.timeoutMs });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.lines.shift()!;
  }

  /** Sends `command` and collects the reply; NO and BAD throw EIMAP naming `display`. */
  async run(command: string, display = command): Promise<RawReply> {
    const tag = `t${++this.tag}`;
    this.socket.write(`${tag} ${command}\r\n`);
    const untagged: string[] = [];
    for (;;) {
      const line = await this.nextLine();
      if (!line.startsWith(`${tag} `)) {
        untagged.push(line);
        continue;
      }
      const match = /^\S+ (OK|NO|BAD)\b ?(.*)$/.exec(line);
      const status = (match?.[1] ?? 'BAD') as RawReply['status'];
      if (status !== 'OK') {
        throw new TestkitError('EIMAP', `IMAP ${display} failed: ${line.slice(tag.length + 1)}`, { command: display });
      }
      return { untagged, status, text: match?.[2] ?? '' };
    }
  }

  /** LOGOUT, then closes the socket whatever the server says. */
  async close(): Promise<void> {
    try {
      if (this.failure === undefined) await this.run('LOGOUT');
    } catch {
      // The server may close before the tagged OK; the socket goes either way.
    } finally {
      this.socket.destroy();
    }
  }
}

/**
 * Parses a `* THREAD` response (RFC 5256) into one flat list of UIDs per top-level thread,
 * in the server's order. `(1)(2 3 (4)(5))` gives `[[1], [2, 3, 4, 5]]`.
 */
export function parseThreadResponse(line: string): number[][] {
  const body = line.replace(/^\* THREAD ?/, '');
  const threads: number[][] = [];
  let depth = 0;
  let current: number[] = [];
  for (const token of body.match(/\(|\)|\d+/g) ?? []) {
    if (token === '(') {
      if (depth === 0) current = [];
      depth++;
    } else if (token === ')') {
      depth--;
      if (depth === 0) threads.push(current);
      if (depth < 0) throw new TestkitError('EIMAP', 'unbalanced THREAD response', { command: 'THREAD' });
    } else {
      current.push(Number(token));
    }
  }
  if (depth !== 0) throw new TestkitError('EIMAP', 'unbalanced THREAD response', { command: 'THREAD' });
  return threads;
}

/** Where and as whom threadGroups() logs in. */
export interface ImapLogin {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Dovecot's own threading of a whole mailbox: `UID THREAD REFERENCES UTF-8 ALL` (RFC 5256,
 * the JWZ algorithm with subject grouping), one flat UID list per thread.
 */
export async function threadGroups(login: ImapLogin, mailbox: string, timeoutMs: number): Promise<number[][]> {
  const name = imapQuote(mailbox, 'mailbox');
  const imap = await RawImap.open(login.host, login.port, timeoutMs);
  try {
    await imap.run(`LOGIN ${imapQuote(login.user, 'user')} ${imapQuote(login.password, 'password')}`, 'LOGIN');
    await imap.run(`EXAMINE ${name}`);
    const reply = await imap.run('UID THREAD REFERENCES UTF-8 ALL');
    // An empty mailbox answers a bare `* THREAD`.
    const line = reply.untagged.find((l) => l.startsWith('* THREAD')) ?? '* THREAD';
    return parseThreadResponse(line);
  } finally {
    await imap.close();
  }
}
