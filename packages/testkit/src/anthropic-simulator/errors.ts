/**
 * Errors of the Anthropic simulator and its CLI helpers.
 */

/** Stable error codes. */
export type AnthropicSimulatorErrorCode =
  /** An option has a wrong type or value; the message names the option and the value. */
  | 'ECONFIG'
  /** The Claude Code CLI binary could not be found. */
  | 'ECLI_MISSING';

/** The one error class the simulator throws. */
export class AnthropicSimulatorError extends Error {
  override name = 'AnthropicSimulatorError';
  readonly code: AnthropicSimulatorErrorCode;
  /** The option at fault, for ECONFIG. */
  readonly option: string | undefined;

  constructor(
    code: AnthropicSimulatorErrorCode,
    message: string,
    opts: { cause?: unknown; option?: string } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.option = opts.option;
  }
}
