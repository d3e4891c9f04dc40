/**
 * Error bodies in the API's shape:
 * `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_..."}`.
 */

const DEFAULT_MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error:
    'This request would exceed the rate limit for your organization. Please try again later.',
  billing_error:
    'You have reached your specified API usage limits. You will regain access on the first of next month.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
  timeout_error: 'Request timed out',
};

const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The API's default message for an error type (a generic one for unknown types). */
export function defaultErrorMessage(type: string): string {
  return DEFAULT_MESSAGES[type] ?? `Simulated ${type}.`;
}

/** The HTTP status the API uses for an error type (500 for unknown types). */
export function statusForErrorType(type: string): number {
  return STATUS_BY_TYPE[type] ?? 500;
}

/** The JSON error body. */
export function errorBody(
  type: string,
  message: string | undefined,
  requestId: string,
): { type: 'error'; error: { type: string; message: string }; request_id: string } {
  return {
    type: 'error',
    error: { type, message: message ?? defaultErrorMessage(type) },
    request_id: requestId,
  };
}
