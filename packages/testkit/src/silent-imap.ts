/**
 * A misbehaving IMAP server for timeout tests: it speaks just enough IMAP (greeting, CAPABILITY,
 * LOGIN, AUTHENTICATE PLAIN, NOOP, an empty INBOX for SELECT/EXAMINE/LIST, LOGOUT) and then,
 * from a chosen point on, either never answers again (`silent`: the socket stays open, the
 * way a hung server or a dead NAT mapping looks) or destroys the connection when the next
 * command arrives (`drop`). A client without short timeouts hangs on it; that is the point.
 *
 * @example
 * await using imap = await startSilentImap();            // silent after a successful login
 * const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false,
 *   auth: { user: imap.user, pass: imap.password }, socketTimeout: 500 });
 * await client.connect();
 * await client.mailboxOpen('INBOX');                       // rejects after ~500 ms
 */
import { randomBytes } from 'node:crypto';
import { createServer, isIP, type Socket } from 'node:net';
import { TestkitError } from './errors.ts';
import { ImapCommandReader, imapTokens } from './internal/imap-command-reader.ts';

/** Options of startSilentImap(). Every field is optional. */
export interface SilentImapOptions {
  /** Default `test`. */
  user?: string;
  /** Default: random per instance. */
  password?: string;
  /**
   * When the misbehaviour starts: `'login'` (default): with the first command after a
   * successful LOGIN / AUTHENTICATE (imapflow's connect() sends `LIST "" ""` then, so its
   * connect() is what fails); `'select'`: after the first SELECT / EXAMINE was answered (a
   * connected client with an open mailbox whose next command hangs); a number N: after N
   * commands of a connection were answered (0: the first command already gets it).
   */
  after?: 'login' | 'select' | number;
  /** What happens then: `'silent'` (default) or `'drop'` (socket destroyed, no reply). */
  mode?: 'silent' | 'drop';
  /** A loopback IP. Default `127.0.0.1`. */
  host?: string;
}

/** One command as the server received it (credentials replaced by `***`). */
export interface SilentImapCommand {
  /** 1-based number of the connection. */
  connection: number;
  tag: string;
  /** Upper-cased command name (`LOGIN`, `SELECT`, ...). */
  name: string;
  /** The command text, credentials redacted. */
  line: string;
  /** False when the server ignored it or dropped the connection on it. */
  answered: boolean;
}

/** A running server. */
export interface SilentImap {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Every command received, in order, across connections. */
  readonly commands: SilentImapCommand[];
  /** Connections accepted so far (a reconnecting client makes it grow). */
  connections(): number;
  /** Destroys every connection and stops listening. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const CAPABILITY = 'IMAP4rev1 AUTH=PLAIN';

function checkOptions(o: SilentImapOptions): void {
  const bad = (option: string, value: unknown, expected: string): TestkitError =>
    new TestkitError('ECONFIG', `startSilentImap: option ${option} must be ${expected}, got ${JSON.stringify(value)}`, {
      option,
    });
  const after = o.after;
  if (after !== undefined && after !== 'login' && after !== 'select' && !(Number.isInteger(after) && after >= 0)) {
    throw bad('after', after, "'login', 'select' or an integer >= 0");
  }
  if (o.mode !== undefined && o.mode !== 'silent' && o.mode !== 'drop') throw bad('mode', o.mode, "'silent' or 'drop'");
  if (o.host !== undefined && !(isIP(o.host) === 4 ? o.host.startsWith('127.') : o.host === '::1')) {
    throw bad('host', o.host, 'a loopback IP');
  }
  for (const key of ['user', 'password'] as const) {
    const value = o[key];
    if (value !== undefined && !(typeof value === 'string' && /^[\x21-\x7e]{1,128}$/.test(value) && !/["\\]/.test(value))) {
      throw new TestkitError('ECONFIG', `startSilentImap: option ${key} must be 1-128 printable ASCII characters without quotes`, {
        option: key,
      });
    }
  }
}

/** Starts the server on a free loopback port. */
export async function startSilentImap(opts: SilentImapOptions = {}): Promise<SilentImap> {
  checkOptions(opts);
  const user = opts.user ?? 'test';
  const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const after = opts.after ?? 'login';
  const mode = opts.mode ?? 'silent';
  const commands: SilentImapCommand[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;

  const serve = (socket: Socket): void => {
    const connection = ++accepted;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy()); // a client reset is expected here
    let answered = 0;
    let loggedIn = false;
    let selected = false;
    let pendingAuth: string | undefined; // tag of an AUTHENTICATE waiting for its response line
    const send = (text: string): void => {
      if (!socket.destroyed) socket.write(`${text}\r\n`);
    };
    const misbehaving = (): boolean =>
      after === 'login' ? loggedIn : after === 'select' ? selected : answered >= after;
    const checkLogin = (u: string | undefined, p: string | undefined): boolean => u === user && p === password;
    const finishLogin = (tag: string, ok: boolean): string => {
      loggedIn ||= ok;
      return ok ? `${tag} OK [CAPABILITY ${CAPABILITY}] Logged in` : `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.`;
    };
    const plain = (tag: string, b64: string): string => {
      const [, u, p] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      return finishLogin(tag, checkLogin(u, p));
    };

    const reader = new ImapCommandReader({
      onContinuationNeeded: () => {
        if (!misbehaving()) send('+ Ready for literal data');
      },
      onCommand: (line) => {
        if (pendingAuth !== undefined) {
          // The client's SASL response to our `+`: part of the AUTHENTICATE already counted.
          const tag = pendingAuth;
          pendingAuth = undefined;
          send(plain(tag, line.trim()));
          return;
        }
        const [tag = '*', rawName = '', ...rest] = line.split(' ');
        const name = rawName.toUpperCase();
        const secret = name === 'LOGIN' || name === 'AUTHENTICATE';
        const entry = { connection, tag, name, line: secret ? `${tag} ${name} ***` : line, answered: false };
        commands.push(entry);
        if (misbehaving()) {
          if (mode === 'drop') socket.destroy();
          return;
        }
        entry.answered = true;
        answered++;
        for (const reply of respond(tag, name, rest.join(' '))) send(reply);
        if (name === 'LOGOUT') socket.end();
      },
    });

    // The reply lines to one command in the answering phase.
    const respond = (tag: string, name: string, args: string): string[] => {
      switch (name) {
        case 'CAPABILITY':
          return [`* CAPABILITY ${CAPABILITY}`, `${tag} OK CAPABILITY completed`];
        case 'NOOP':
        case 'CHECK':
          return [`${tag} OK ${name} completed`];
        case 'LOGIN': {
          const [u, p] = imapTokens(args);
          return [finishLogin(tag, checkLogin(u, p))];
        }
        case 'AUTHENTICATE': {
          const [mechanism, initial] = imapTokens(args);
          if (mechanism?.toUpperCase() !== 'PLAIN') return [`${tag} NO Unsupported mechanism`];
          // SASL-IR (RFC 4959): the credentials may come on the command line itself.
          if (initial !== undefined && initial !== '=') return [plain(tag, initial)];
          pendingAuth = tag;
          return ['+ '];
        }
        case 'LOGOUT':
          return ['* BYE Logging out', `${tag} OK Logout completed`];
      }
      if (!loggedIn) return [`${tag} NO [AUTHENTICATIONFAILED] Log in first`];
      switch (name) {
        case 'SELECT':
        case 'EXAMINE':
          selected = true;
          return [
            '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
            '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted',
            '* 0 EXISTS',
            '* 0 RECENT',
            '* OK [UIDVALIDITY 1] UIDs valid',
            '* OK [UIDNEXT 1] Predicted next UID',
            `${tag} OK [${name === 'SELECT' ? 'READ-WRITE' : 'READ-ONLY'}] ${name} completed`,
          ];
        case 'LIST':
        case 'LSUB':
          return [`* ${name} (\\HasNoChildren) "/" INBOX`, `${tag} OK ${name} completed`];
        default:
          return [`${tag} BAD ${name} is not supported by silent-imap`];
      }
    };

    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        socket.destroy(); // an oversized command: not a client this server is for
      }
    });
    send(`* OK [CAPABILITY ${CAPABILITY}] silent-imap ready`);
  };

  const server = createServer(serve);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closed !== undefined) return closed;
    closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return closed;
  };
  return {
    host,
    port,
    user,
    password,
    commands,
    connections: () => accepted,
    close,
    [Symbol.asyncDispose]: close,
  };
}
