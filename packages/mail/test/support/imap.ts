/**
 * Test-only helpers for the IMAP source tests (not exported by the package): the dovecot
 * harness, message builders, a recording sleeper, source options pointing at a server, and
 * `collect` to drain a fetch run.
 */
import type { Logger, Sleep } from '../../src/imap/options.ts';
import type { ImapSourceOptions } from '../../src/imap/source.ts';

export { type Dovecot, startDovecot } from '@jobs/testkit/dovecot';

/** Everything a run (a fetch, a watch's batch) yields, in order. */
export async function collect<T>(run: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const m of run) out.push(m);
  return out;
}

/** A small RFC 5322 message with the given Message-ID (without angle brackets). */
export function message(id: string, options: { subject?: string; body?: string; from?: string; date?: Date } = {}): string {
  const date = (options.date ?? new Date('2026-11-20T10:00:00Z')).toUTCString().replace('GMT', '+0000');
  return [
    `From: ${options.from ?? 'Dana <dana@example.com>'}`,
    'To: Carole <carole@example.org>',
    `Subject: ${options.subject ?? `Message ${id}`}`,
    `Date: ${date}`,
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? `Body of ${id}.`,
    '',
  ].join('\r\n');
}

/** A multipart message with a text part and a big base64 attachment of `attachmentBytes`. */
export function bigMessage(id: string, attachmentBytes: number): string {
  const boundary = 'b-big-1';
  const payload = Buffer.alloc(attachmentBytes, 7).toString('base64');
  const lines = payload.match(/.{1,76}/g) ?? [];
  return [
    'From: Supplier <billing@supplier.example>',
    'To: Carole <carole@example.org>',
    'Subject: Invoice with drawings',
    'Date: Fri, 20 Nov 2026 10:00:00 +0000',
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Please find the drawings attached. Total due: 420 EUR.',
    `--${boundary}`,
    'Content-Type: application/pdf; name="drawings.pdf"',
    'Content-Disposition: attachment; filename="drawings.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    ...lines,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** A sleeper that records each wait and returns at once (no wall-clock sleeps in tests). */
export function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

/** A logger that keeps every entry, for assertions on what was reported. */
export function memoryLogger(): Logger & { entries: Array<{ level: string; obj: object; msg?: string | undefined }> } {
  const entries: Array<{ level: string; obj: object; msg?: string | undefined }> = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Source options for a plaintext loopback server, with short timeouts and an instant sleeper. */
export function sourceOptions(
  server: { host: string; port: number; user: string; password: string },
  extra: Partial<ImapSourceOptions> = {},
): ImapSourceOptions {
  return {
    host: server.host,
    port: server.port,
    secure: false,
    user: server.user,
    password: server.password,
    connectionTimeoutMs: 5000,
    greetingTimeoutMs: 5000,
    socketTimeoutMs: 10_000,
    lockTimeoutMs: 5000,
    sleep: async () => {},
    random: () => 0.5,
    ...extra,
  };
}

/**
 * A sleeper under the test's control: each wait stays pending until `fire()` (or its abort
 * signal). `waiting()` resolves once some wait is pending, so a test knows the code under test
 * reached its timer.
 */
export function manualSleep(): { sleep: Sleep; fire(): void; waiting(): Promise<void>; readonly calls: number[] } {
  const pending = new Set<() => void>();
  const calls: number[] = [];
  let onWait: (() => void) | null = null;
  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      calls.push(ms);
      const done = () => {
        pending.delete(done);
        resolve();
      };
      if (signal?.aborted) return resolve();
      signal?.addEventListener('abort', done, { once: true });
      pending.add(done);
      onWait?.();
    });
  return {
    sleep,
    calls,
    fire() {
      for (const done of [...pending]) done();
    },
    waiting() {
      if (pending.size > 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        onWait = () => {
          onWait = null;
          resolve();
        };
      });
    },
  };
}
