/**
 * A TCP proxy that makes a real IMAP server (dovecot) answer like Gmail's for the parts of
 * Gmail's IMAP extensions the suite uses: CAPABILITY gains `X-GM-EXT-1` (and loses `OBJECTID`,
 * which Gmail does not offer and which imapflow would prefer), and FETCH answers carry
 * `X-GM-MSGID` and `X-GM-THRID`. Dovecot does not know those items, so the proxy takes them out
 * of the client's FETCH and adds them to each `* n FETCH (` answer of that command, with the
 * ids the test gives per folder and UID (a message with several labels has one X-GM-MSGID in
 * every folder it shows in; a conversation has one X-GM-THRID). Literals (message bodies) pass
 * through untouched.
 *
 * @example
 * await using gmail = await startGmailProxy(imap, { ids: (mailbox, uid) => table[mailbox]?.[uid] });
 * // connect imapflow to gmail.host:gmail.port
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ImapLineStream } from './internal/imap-stream.ts';

/** Gmail's ids of one message, decimal strings as Gmail sends them. */
export interface GmailIds {
  readonly msgid: string;
  readonly thrid: string;
}

/** Options of startGmailProxy. */
export interface GmailProxyOptions {
  /** The ids of the message `uid` of `mailbox` (as SELECTed); undefined leaves it without. */
  ids(mailbox: string, uid: number): GmailIds | undefined;
}

/** A running proxy. */
export interface GmailProxy {
  readonly host: string;
  readonly port: number;
  /** FETCH commands that asked for X-GM-MSGID or X-GM-THRID (tag removed, before rewriting). */
  readonly gmailFetches: readonly string[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const GM_ITEM = / ?\bX-GM-(?:MSGID|THRID)\b ?/gi;
const SELECT = /^\S+ (?:UID )?(?:SELECT|EXAMINE) (?:"((?:[^"\\]|\\.)*)"|(\S+))/i;

/** Adds X-GM-EXT-1 to a CAPABILITY list (untagged, or a response code) and drops OBJECTID. */
function gmailCapabilities(text: string): string {
  return text.replace(/(CAPABILITY [^\]\r\n]*)/i, (caps) => `${caps.replace(/ OBJECTID\b/gi, '')} X-GM-EXT-1`);
}

/** Starts a proxy on 127.0.0.1, port 0, in front of `target`. */
export async function startGmailProxy(target: { host: string; port: number }, options: GmailProxyOptions): Promise<GmailProxy> {
  const open = new Set<Socket>();
  const gmailFetches: string[] = [];
  const server: Server = createServer((client) => {
    open.add(client);
    const upstream = createConnection(target);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('close', () => {
        open.delete(s);
        end();
      });
      s.on('error', end);
    }
    let mailbox = '';
    let wantTag: string | null = null;
    const fromClient = new ImapLineStream((line) => {
      const text = line.toString('latin1');
      const selected = SELECT.exec(text);
      if (selected) mailbox = selected[1] ?? selected[2] ?? '';
      if (!/ FETCH /i.test(text) || !/X-GM-(?:MSGID|THRID)/i.test(text)) return line;
      wantTag = text.split(' ')[0] ?? null;
      gmailFetches.push(text.slice(text.indexOf(' ') + 1).trimEnd());
      const stripped = text.replace(GM_ITEM, (m) => (m.startsWith(' ') && m.endsWith(' ') ? ' ' : '')).replace(/\(\s+/g, '(').replace(/\s+\)/g, ')');
      return Buffer.from(stripped, 'latin1');
    });
    const fromServer = new ImapLineStream((line) => {
      let text = line.toString('latin1');
      if (/CAPABILITY /i.test(text) && (text.startsWith('* ') || text.includes('[CAPABILITY '))) text = gmailCapabilities(text);
      const fetch = /^\* (\d+) FETCH \(/i.exec(text);
      if (fetch && wantTag !== null) {
        // UID FETCH answers carry the UID; a plain FETCH on a mailbox never expunged has seq = UID
        const uid = Number(/[( ]UID (\d+)/i.exec(text)?.[1] ?? fetch[1]);
        const ids = options.ids(mailbox, uid);
        if (ids) text = `${fetch[0]}X-GM-THRID ${ids.thrid} X-GM-MSGID ${ids.msgid} ${text.slice(fetch[0].length)}`;
      }
      if (wantTag !== null && text.startsWith(`${wantTag} `)) wantTag = null;
      return Buffer.from(text, 'latin1');
    });
    client.on('data', (chunk: Buffer) => upstream.write(fromClient.push(chunk)));
    upstream.on('data', (chunk: Buffer) => client.write(fromServer.push(chunk)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('gmail proxy has no address');
  const close = async () => {
    for (const s of open) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { host: '127.0.0.1', port: address.port, gmailFetches, close, [Symbol.asyncDispose]: close };
}
