/**
 * Secrets that become known while a run goes on: an OAuth 2 refresh token read from a grant,
 * each access token refreshed. repos.env's values are known at load (scope.redact); these are
 * added as they appear, and `redact` covers all of them, so a logger built with
 * `(s) => set.redact(scope.redact(s))` never prints a token.
 */
import { createRedactor, type Redactor } from './redact.ts';

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
