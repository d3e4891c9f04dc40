/**
 * Reassembles IMAP client commands from a byte stream for the fake servers: one command is a
 * line plus any literals it announces (`{N}` synchronizing, which needs a `+` continuation
 * from the server, or `{N+}` non-synchronizing), and the line that follows each literal.
 */

/** Callbacks of one reader. */
export interface CommandReaderHooks {
  /** A whole command, literals inlined (as quoted text when they are printable). */
  onCommand(command: string): void;
  /** The client waits for `+` before sending a synchronizing literal. */
  onContinuationNeeded(): void;
}

const LITERAL_AT_END = /\{(\d+)(\+?)\}$/;
// A fake server has no business with big commands: anything beyond this is a broken client.
const MAX_COMMAND = 64 * 1024;

/** Stateful reader for one connection. */
export class ImapCommandReader {
  private buffer: Buffer = Buffer.alloc(0);
  private parts: string[] = [];
  private literalLeft = 0;
  private readonly hooks: CommandReaderHooks;

  constructor(hooks: CommandReaderHooks) {
    this.hooks = hooks;
  }

  /** Feeds received bytes. Throws when a command grows past 64 KiB. */
  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.literalLeft > 0) {
        if (this.buffer.length < this.literalLeft) return;
        this.parts.push(JSON.stringify(this.buffer.subarray(0, this.literalLeft).toString('utf8')));
        this.buffer = this.buffer.subarray(this.literalLeft);
        this.literalLeft = 0;
        continue;
      }
      const nl = this.buffer.indexOf(10);
      if (nl < 0) {
        if (this.buffer.length > MAX_COMMAND) throw new Error('command line too long');
        return;
      }
      const line = this.buffer.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      this.buffer = this.buffer.subarray(nl + 1);
      const literal = LITERAL_AT_END.exec(line);
      if (literal?.[1] !== undefined) {
        this.parts.push(line.slice(0, literal.index));
        this.literalLeft = Number(literal[1]);
        if (this.literalLeft > MAX_COMMAND) throw new Error('literal too long');
        if (literal[2] !== '+') this.hooks.onContinuationNeeded();
        continue;
      }
      this.parts.push(line);
      const command = this.parts.join('');
      this.parts = [];
      this.hooks.onCommand(command);
    }
  }
}

/** Splits IMAP arguments into atoms and quoted strings (escapes undone). */
export function imapTokens(args: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(args); m !== null; m = re.exec(args)) {
    tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  }
  return tokens;
}
