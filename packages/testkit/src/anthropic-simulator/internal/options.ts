/**
 * Checks the simulator's options up front, naming the option and the value at fault.
 */
import { AnthropicSimulatorError } from '../errors.ts';
import type { AnthropicSimulatorOptions } from '../types.ts';

function bad(option: string, expected: string, value: unknown): AnthropicSimulatorError {
  let shown: string;
  try {
    shown = typeof value === 'function' ? 'a function' : JSON.stringify(value);
  } catch {
    shown = String(value);
  }
  return new AnthropicSimulatorError('ECONFIG', `${option} must be ${expected}, got ${shown}`, {
    option,
  });
}

function checkStringList(option: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw bad(option, 'an array of non-empty strings', value);
  }
}

/** Returns the options unchanged when valid; throws ECONFIG otherwise. */
export function validateOptions(options: AnthropicSimulatorOptions): AnthropicSimulatorOptions {
  const o = options;
  if (o.latencyMs !== undefined && !(Number.isFinite(o.latencyMs) && o.latencyMs >= 0)) {
    throw bad('latencyMs', 'a finite number >= 0', o.latencyMs);
  }
  checkStringList('apiKeys', o.apiKeys);
  checkStringList('oauthTokens', o.oauthTokens);
  if (o.now !== undefined && typeof o.now !== 'function') throw bad('now', 'a function', o.now);
  if (o.sleep !== undefined && typeof o.sleep !== 'function') throw bad('sleep', 'a function', o.sleep);
  const bp = o.batchProcessing;
  if (
    bp !== undefined &&
    bp !== 'immediate' &&
    bp !== 'never' &&
    !(
      typeof bp === 'object' &&
      bp !== null &&
      Number.isFinite(bp.afterMs) &&
      bp.afterMs >= 0
    )
  ) {
    throw bad('batchProcessing', "'immediate', 'never' or { afterMs: number >= 0 }", bp);
  }
  if (
    o.defaultText !== undefined &&
    typeof o.defaultText !== 'string' &&
    typeof o.defaultText !== 'function'
  ) {
    throw bad('defaultText', 'a string or a function', o.defaultText);
  }
  if (o.host !== undefined && typeof o.host !== 'string') throw bad('host', 'a string', o.host);
  return o;
}
