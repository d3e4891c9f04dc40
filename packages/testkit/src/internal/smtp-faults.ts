/**
 * Scripted faults of the SMTP capture: their types, their validation, and the book that hands
 * one fault to each mail transaction (FIFO, then the default accept) or applies a standing
 * refusal to all of them.
 */
import { TestkitError } from '../errors.ts';

/** Where a reject strikes: the AUTH command, MAIL FROM, RCPT TO, or the end of DATA. */
export type SmtpStage = 'auth' | 'mail' | 'rcpt' | 'data';

/**
 * One scripted behaviour, consumed by one mail transaction (MAIL FROM .. end of DATA), or, for
 * `at: 'auth'`, by the next AUTH command. Every fault may carry `latencyMs`: a wait before the
 * reply at the stage where the fault acts (for `accept`: before the 250 that ends DATA).
 */
export type SmtpFault =
  /** Answer normally (the default when nothing is scripted), after `latencyMs` if given. */
  | { kind: 'accept'; latencyMs?: number }
  /**
   * Answer `code message` at `at`. With `at: 'rcpt'` and `recipient`, only that address is
   * refused (case-insensitive) and the others are accepted.
   */
  | { kind: 'reject'; at: SmtpStage; code: number; message?: string; recipient?: string; latencyMs?: number }
  /**
   * Read the whole message, then destroy the socket without answering: the client cannot
   * know whether it was delivered. The message goes to `dropped`.
   */
  | { kind: 'drop'; latencyMs?: number };

/** Stages a standing refusal (refuseAll) can act at: also the greeting. */
export type SmtpRefuseStage = 'connect' | SmtpStage;

/** A refusal of every connection or transaction until acceptAll(). */
export interface SmtpRefusal {
  code: number;
  at: SmtpRefuseStage;
  message: string;
}

// Texts a real MTA would send, so clients that log the reply show something familiar.
const DEFAULT_TEXT: Record<number, string> = {
  421: '4.3.2 Service not available, closing transmission channel',
  450: '4.2.0 Mailbox unavailable, try again later',
  451: '4.3.0 Temporary failure, try again later',
  452: '4.3.1 Insufficient system storage',
  454: '4.7.0 Temporary authentication failure',
  535: '5.7.8 Authentication credentials invalid',
  550: '5.7.1 Message rejected',
  552: '5.3.4 Message size exceeds fixed limit',
  553: '5.1.3 Mailbox name not allowed',
  554: '5.7.1 Transaction failed',
};

/** The reply text for a code when the script gave none. */
export function defaultReplyText(code: number): string {
  return DEFAULT_TEXT[code] ?? (code < 500 ? '4.0.0 Temporary failure' : '5.0.0 Permanent failure');
}

function bad(what: string, value: unknown, expected: string): TestkitError {
  return new TestkitError('ECONFIG', `smtp-capture: ${what} must be ${expected}, got ${JSON.stringify(value)}`, {
    option: what,
  });
}

/** Checks a reply code: SMTP errors are 4xx (temporary) or 5xx (permanent). */
export function checkCode(code: unknown, what: string): number {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 400 || code > 599) {
    throw bad(what, code, 'an SMTP error code from 400 to 599');
  }
  return code;
}

function checkLatency(latency: unknown, what: string): void {
  if (latency !== undefined && !(typeof latency === 'number' && Number.isFinite(latency) && latency >= 0)) {
    throw bad(what, latency, 'a number of milliseconds >= 0');
  }
}

/** Validates one scripted fault; throws ECONFIG naming the field. */
export function checkFault(fault: SmtpFault, index: number): SmtpFault {
  const where = `script() fault #${index}`;
  if (typeof fault !== 'object' || fault === null) throw bad(where, fault, 'an object with a kind');
  checkLatency(fault.latencyMs, `${where} latencyMs`);
  switch (fault.kind) {
    case 'accept':
    case 'drop':
      return fault;
    case 'reject':
      if (!['auth', 'mail', 'rcpt', 'data'].includes(fault.at)) {
        throw bad(`${where} at`, fault.at, "'auth', 'mail', 'rcpt' or 'data'");
      }
      checkCode(fault.code, `${where} code`);
      if (fault.recipient !== undefined && fault.at !== 'rcpt') {
        throw bad(`${where} recipient`, fault.recipient, "used only with at: 'rcpt'");
      }
      return fault;
    default:
      throw bad(`${where} kind`, (fault as { kind?: unknown }).kind, "'accept', 'reject' or 'drop'");
  }
}

const ACCEPT: SmtpFault = { kind: 'accept' };

/** The queue of scripted faults, the standing refusal, and the fault of each open transaction. */
export class FaultBook {
  private queue: SmtpFault[] = [];
  private current = new Map<string, SmtpFault>();
  refusal: SmtpRefusal | undefined;

  push(faults: readonly SmtpFault[]): void {
    for (const [i, f] of faults.entries()) checkFault(f, i);
    this.queue.push(...faults);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Empties the queue and lifts the refusal. */
  reset(): void {
    this.queue = [];
    this.refusal = undefined;
  }

  /** The auth fault at the head of the queue, consumed; undefined when the head is not one. */
  takeAuthFault(): SmtpFault | undefined {
    const head = this.queue[0];
    if (head?.kind === 'reject' && head.at === 'auth') return this.queue.shift();
    return undefined;
  }

  /**
   * Starts a transaction on `sessionId` (at MAIL FROM) and returns its fault. An auth fault at
   * the head stays there for the next AUTH (this connection is already past it).
   */
  begin(sessionId: string): SmtpFault {
    const head = this.queue[0];
    const fault = head !== undefined && !(head.kind === 'reject' && head.at === 'auth') ? this.queue.shift()! : ACCEPT;
    this.current.set(sessionId, fault);
    return fault;
  }

  /** The fault of the open transaction of `sessionId`. */
  of(sessionId: string): SmtpFault {
    return this.current.get(sessionId) ?? ACCEPT;
  }

  /** Forgets a session's transaction (after DATA, or when the connection closes). */
  end(sessionId: string): void {
    this.current.delete(sessionId);
  }
}
