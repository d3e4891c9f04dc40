/**
 * The device-code flow (RFC 8628), Microsoft's way in for a headless machine: the person is
 * shown a short code and a URL to open on any device; we poll the token endpoint until they
 * approve. openid-client does the requests and honours the server's polling interval and
 * `slow_down`.
 */
import * as oidc from 'openid-client';
import { toGrantError } from './oauth-client.ts';

/** What to show the person. */
export interface DevicePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string | undefined;
  readonly expiresInSeconds: number;
}

/** Starts the flow; `wait()` resolves with the tokens once approved. */
export async function startDeviceLogin(
  config: oidc.Configuration,
  scope: string,
  account: string,
): Promise<{ prompt: DevicePrompt; wait(signal?: AbortSignal): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> }> {
  const device = await oidc.initiateDeviceAuthorization(config, { scope }).catch((err: unknown) => {
    throw toGrantError(err, account, 'starting the device-code login');
  });
  return {
    prompt: {
      userCode: device.user_code,
      verificationUri: device.verification_uri,
      verificationUriComplete: device.verification_uri_complete,
      expiresInSeconds: device.expires_in,
    },
    wait: (signal) =>
      oidc.pollDeviceAuthorizationGrant(config, device, undefined, signal === undefined ? undefined : { signal }).catch((err: unknown) => {
        throw toGrantError(err, account, 'the device-code login');
      }),
  };
}
