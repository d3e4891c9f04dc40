/**
 * The suite's model choices, named once: every client, job and farm path that does not get a
 * model from its configuration uses DEFAULT_MODEL, and FALLBACK_MODEL when the first stays
 * overloaded. Every call names its model explicitly, never a CLI or SDK default.
 */

/** The current Haiku: the default model of every call. */
export const DEFAULT_MODEL = 'claude-haiku-5-5';

/** The configured fallback when DEFAULT_MODEL stays overloaded after retries. */
export const FALLBACK_MODEL = 'claude-haiku-4-5';
