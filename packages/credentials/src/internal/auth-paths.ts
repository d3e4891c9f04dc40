/**
 * The auth paths of the `claude` CLI and what each one bills, in words for the doctor.
 */

/** The auth path the CLI takes. */
export type AuthPathName =
  | 'bedrock'
  | 'vertex'
  | 'foundry'
  | 'auth-token'
  | 'api-key'
  | 'api-key-helper'
  | 'oauth-token'
  | 'subscription-login'
  | 'none';

/** Who pays: a cloud account, metered API, a gateway's owner, the subscription, or nobody. */
export type Billing = 'cloud' | 'api' | 'gateway' | 'subscription' | 'none';

/** One auth path that is configured, with where it is configured. */
export interface AuthCandidate {
  path: AuthPathName;
  billing: Billing;
  /** Where it is set: `environment NAME`, a settings file, the credentials file. */
  source: string;
  /** One line a person can act on. */
  explanation: string;
}

const TABLE: Record<AuthPathName, { billing: Billing; explanation: string }> = {
  bedrock: { billing: 'cloud', explanation: 'Amazon Bedrock: metered usage billed to the AWS account, not the subscription' },
  vertex: { billing: 'cloud', explanation: 'Google Vertex AI: metered usage billed to the Google Cloud project, not the subscription' },
  foundry: { billing: 'cloud', explanation: 'Microsoft Foundry: metered usage billed to the Azure account, not the subscription' },
  'auth-token': {
    billing: 'gateway',
    explanation: 'Bearer token (an LLM gateway or proxy): metered billing by whoever issued the token, not the subscription',
  },
  'api-key': { billing: 'api', explanation: 'Console API key: metered API billing per token, not the subscription' },
  'api-key-helper': { billing: 'api', explanation: 'key printed by apiKeyHelper: metered API billing per token, not the subscription' },
  'oauth-token': { billing: 'subscription', explanation: 'long-lived token from claude setup-token: subscription (Pro/Max/Team/Enterprise)' },
  'subscription-login': { billing: 'subscription', explanation: 'stored claude.ai login: subscription (Pro/Max/Team/Enterprise)' },
  none: { billing: 'none', explanation: 'no credentials: claude will ask to log in, and claude -p will fail' },
};

/** The billing and explanation of a path. */
export function explain(path: AuthPathName): { billing: Billing; explanation: string } {
  return TABLE[path];
}
