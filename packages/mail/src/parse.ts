/**
 * parseMessage: one raw message in, one ParseResult out, never a throw and never a stall.
 * mailparser's streaming MailParser is used (not simpleParser) so attachment content flows past
 * and is only counted; each parse runs under a byte cap and a time cap, and a message that hits
 * one, or that the parser rejects, comes back quarantined with the reason.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { MailParser } from 'mailparser';
import { MailError } from './errors.ts';
import type { ParseResult, QuarantineCode } from './message.ts';
import { type Collected, buildMessage } from './internal/build-message.ts';
import type { RawHeaderLine } from './internal/raw-headers.ts';

/** Options of parseMessage. */
export interface ParseOptions {
  /** Largest raw message accepted, in bytes. Default 50 MiB. */
  readonly maxBytes?: number;
  /** Longest a parse may take, in ms, before the stream is destroyed. Default 30,000. */
  readonly timeoutMs?: number;
  /** Longest body text kept, in characters; the rest is cut and `textTruncated` set. Default 1 MiB. */
  readonly maxTextChars?: number;
  /** Most attachments listed (metadata only); further ones are counted in size only. Default 500. */
  readonly maxAttachments?: number;
  /** Set on the message: the IMAP UID. */
  readonly uid?: number;
  /** Set on the message: the file it came from. */
  readonly path?: string;
}

const DEFAULTS = { maxBytes: 50 * 1024 * 1024, timeoutMs: 30_000, maxTextChars: 1024 * 1024, maxAttachments: 500 };

class TooBig extends Error {
  override readonly name = 'TooBig';
}

/** Counts bytes on the way to the parser and fails the pipeline past the cap. */
class ByteCounter extends Transform {
  bytes = 0;
  readonly #max: number;
  constructor(max: number) {
    super();
    this.#max = max;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#max) done(new TooBig(`message exceeds ${this.#max} bytes`));
    else done(null, chunk);
  }
}

function checkOptions(options: ParseOptions): Required<Pick<ParseOptions, keyof typeof DEFAULTS>> {
  const merged = { ...DEFAULTS, ...options };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = merged[key];
    if (!Number.isFinite(value) || value <= 0) {
      throw new MailError('ECONFIG', `parseMessage: option ${key} must be a positive number, got ${String(value)}`);
    }
  }
  return merged;
}

/**
 * Parses one raw message. `raw` is a Buffer or a byte stream (an IMAP body stream, a file
 * stream); a stream is consumed and, on a cap or a failure, destroyed. Resolves with
 * `{ ok: true, message }` or a Quarantined `{ ok: false, code, reason }`; only invalid options
 * throw (a programming error, raised before any input is read).
 */
export function parseMessage(raw: Buffer | Readable, options: ParseOptions = {}): Promise<ParseResult> {
  const opts = checkOptions(options);
  if (Buffer.isBuffer(raw) && raw.length > opts.maxBytes) {
    return Promise.resolve({
      ok: false,
      code: 'ETOOBIG',
      reason: `message is ${raw.length} bytes, over the ${opts.maxBytes}-byte cap`,
      sizeBytes: raw.length,
    });
  }
  const input = Buffer.isBuffer(raw) ? Readable.from([raw]) : raw;
  const counter = new ByteCounter(opts.maxBytes);
  const parser = new MailParser({
    skipHtmlToText: true, // converted by our own linear html-text, only when there is no text part
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    checksumAlgo: false,
    maxHeadSize: 1024 * 1024,
  });
  const collected: Collected = { headerLines: [], subject: undefined, text: undefined, html: undefined, attachments: [], attachmentCount: 0 };

  return new Promise<ParseResult>((resolve) => {
    let settled = false;
    const finish = (result: ParseResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const quarantine = (code: QuarantineCode, reason: string, cause?: unknown): void => {
      if (settled) return;
      finish({ ok: false, code, reason, sizeBytes: counter.bytes, ...(cause === undefined ? {} : { cause }) });
      // Tear everything down: mailparser can sit waiting on a part that never ends.
      for (const s of [input, counter, parser]) if (!s.destroyed) s.destroy();
    };
    const timer = setTimeout(
      () => quarantine('ETIMEOUT', `parse did not finish within ${opts.timeoutMs} ms`),
      opts.timeoutMs,
    );

    const onError = (code: QuarantineCode) => (err: unknown) => {
      if (err instanceof TooBig) quarantine('ETOOBIG', `message is over the ${opts.maxBytes}-byte cap`);
      else quarantine(code, `${code === 'ESTREAM' ? 'input stream failed' : 'parser failed'}: ${describe(err)}`, err);
    };
    input.on('error', onError('ESTREAM'));
    counter.on('error', onError('EPARSE'));
    parser.on('error', onError('EPARSE'));

    parser.on('headers', (headers: Map<string, unknown>) => {
      const subject = headers.get('subject');
      if (typeof subject === 'string') collected.subject = subject;
    });
    parser.on('headerLines', (lines: readonly RawHeaderLine[]) => {
      collected.headerLines = lines;
    });
    parser.on('data', (data) => {
      if (data.type === 'text') {
        collected.text = data.text;
        collected.html = data.html;
        return;
      }
      // Attachment: count the bytes as they stream past, keep nothing.
      const meta = {
        filename: data.filename ?? null,
        contentType: (data.contentType || 'application/octet-stream').toLowerCase(),
        size: 0,
        disposition: data.contentDisposition ?? null,
        contentId: data.cid ?? null,
      };
      collected.attachmentCount++;
      if (collected.attachments.length < opts.maxAttachments) collected.attachments.push(meta);
      data.content.on('data', (chunk: Buffer) => {
        meta.size += chunk.length;
      });
      data.content.on('error', onError('EPARSE'));
      data.content.on('end', () => data.release?.());
    });
    parser.on('end', () => {
      if (settled) return;
      try {
        finish({ ok: true, message: buildMessage(collected, counter.bytes, opts, options) });
      } catch (err) {
        quarantine('EPARSE', `could not normalize the parsed message: ${describe(err)}`, err);
      }
    });

    input.pipe(counter).pipe(parser);
  });
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}
