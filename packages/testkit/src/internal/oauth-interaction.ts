/**
 * The sign-in and consent pages of the test authorization server, answered at once: the
 * account is `user`, and every scope asked for is granted. The person's part (opening the
 * URL, typing the device code) stays with the test's browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

/** Finishes the interaction at `/interaction/:uid` for `user`. */
export async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse, user: string): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: user } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant =
    details.grantId === undefined
      ? new provider.Grant({ accountId: user, clientId: String(params.client_id) })
      : await provider.Grant.find(details.grantId);
  if (grant === undefined) throw new Error(`interaction: grant ${details.grantId} is gone`);
  const missing = prompt.details as { missingOIDCScope?: string[] };
  if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
