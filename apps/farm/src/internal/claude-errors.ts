/** Recognises @jobs/claude's errors (also across duplicated module instances). */
import { ClaudeError } from '@jobs/claude/errors';

/** True for a ClaudeError from @jobs/claude. */
export function isClaudeError(err: unknown): err is ClaudeError {
  return err instanceof ClaudeError || (err instanceof Error && err.name.endsWith('Error') && typeof (err as { code?: unknown }).code === 'string' && 'retryable' in err);
}
