/**
 * Credential checks like the API's. An API key may come as `x-api-key` (what the Claude Code CLI
 * sends) or as `Authorization: Bearer <key>` (what @anthropic-ai/sdk 1.x sends); an OAuth token
 * comes as Bearer and must come with the `oauth-2025-04-20` beta header, as the API requires.
 * With no `apiKeys`/`oauthTokens` configured every request passes; with either list configured,
 * a request must carry a listed credential.
 */
import type { SimCredential } from '../types.ts';

/** Reads the credential headers of a request (header names already lowercased). */
export function readCredential(headers: Record<string, string>): SimCredential {
  const apiKey = headers['x-api-key'];
  const auth = headers.authorization;
  const match = auth === undefined ? null : /^Bearer\s+(.+)$/i.exec(auth.trim());
  const bearer = match?.[1];
  return { apiKey, bearer, value: apiKey ?? bearer };
}

/** The auth configuration, as given in the options. */
export interface AuthConfig {
  apiKeys: readonly string[] | undefined;
  oauthTokens: readonly string[] | undefined;
}

/** `undefined` when the request may pass, else the message of the 401. */
export function checkAuth(
  config: AuthConfig,
  credential: SimCredential,
  headers: Record<string, string>,
): string | undefined {
  if (config.apiKeys === undefined && config.oauthTokens === undefined) return undefined;
  if (credential.apiKey !== undefined && config.apiKeys?.includes(credential.apiKey)) {
    return undefined;
  }
  if (credential.bearer !== undefined && config.apiKeys?.includes(credential.bearer)) {
    return undefined;
  }
  if (credential.bearer !== undefined && config.oauthTokens?.includes(credential.bearer)) {
    const betas = (headers['anthropic-beta'] ?? '').split(',').map((s) => s.trim());
    if (betas.includes('oauth-2025-04-20')) return undefined;
    return 'OAuth authentication is currently not supported.';
  }
  if (credential.apiKey === undefined && credential.bearer === undefined) {
    return 'x-api-key header is required';
  }
  return credential.apiKey !== undefined
    ? 'invalid x-api-key'
    : 'Invalid bearer token: not a known API key or OAuth token';
}
