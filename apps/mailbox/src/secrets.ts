/**
 * The secrets of a `mailbox` run: repos.env's, and every token value met on the way (the
 * grant's refresh token, each access token). Everything the command prints goes through
 * `redact`, so a token never reaches the terminal, a log or an error message.
 */
import { createRedactor, type Redactor } from '@jobs/credentials/redact';

/** A growing set of secret values with a redactor over all of them. */
export class SecretSet {
  readonly #values = new Set<string>();
  #redactor: Redactor = (s) => s;

  /** Adds a value (ignored when empty). */
  add(value: string | undefined): void {
    if (value === undefined || value === '' || this.#values.has(value)) return;
    this.#values.add(value);
    this.#redactor = createRedactor([...this.#values]);
  }

  /** `s` with every known secret replaced. */
  redact(s: string): string {
    return this.#redactor(s);
  }
}
