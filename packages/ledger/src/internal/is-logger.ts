/** Checks a caller-supplied logger (@jobs/core/logger's shape) up front, so a bad one fails at construction, not mid-run. */
import type { Logger } from '@jobs/core/logger';

/** True when `value` has the four methods of a Logger. */
export function isLogger(value: unknown): value is Logger {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((k) => typeof v[k] === 'function');
}
