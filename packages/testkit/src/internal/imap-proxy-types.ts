/**
 * The shape of the IMAP fault proxy (@jobs/testkit/imap-proxy) and the server-line rewrite that
 * makes a server look like one that cannot store keywords.
 */

/** A running proxy. */
export interface ImapProxy {
  readonly host: string;
  readonly port: number;
  /** Bytes sent from the server to clients so far. */
  readonly bytesToClient: number;
  /** Command lines clients sent so far (CRLF removed, each cut at 300 characters). */
  readonly clientLines: readonly string[];
  /** Connections accepted so far (refused ones included). */
  readonly connections: number;
  /** Times the proxy cut connections on purpose (dropAll, dropOnClientLine). */
  readonly drops: number;
  /** Destroys every open connection, both sides. */
  dropAll(): void;
  /** The next `n` connections are accepted and closed at once. */
  refuseNext(n: number): void;
  /**
   * Once: when a client sends a line matching `pattern`, that connection (or, with `all`, every
   * open connection) is cut before the line reaches the server.
   */
  dropOnClientLine(pattern: RegExp, options?: { readonly all?: boolean }): void;
  /** Calls `fn` with each chunk a client sent, once it was passed on to the server; null stops. */
  watch(fn: ((text: string) => void) | null): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of `startImapProxy`. */
export interface ImapProxyOptions {
  /**
   * Rewrites each server line (CRLF included). Lines are whole: the proxy buffers up to LF.
   * `idling` is true between the client's IDLE and its DONE on that connection.
   */
  readonly rewriteServerLine?: (line: string, connection: { readonly idling: boolean }) => string;
  /** Accept connections and never answer (a silent server). */
  readonly silent?: boolean;
}

/** Strips `\*` from PERMANENTFLAGS: the server then looks like one that can not store keywords. */
export function hideKeywordPermission(line: string): string {
  return line.replace(/\[PERMANENTFLAGS \(([^)]*)\)\]/, (_all, flags: string) => {
    const kept = flags.split(' ').filter((f) => f !== '\\*' && f !== '');
    return `[PERMANENTFLAGS (${kept.join(' ')})]`;
  });
}
