// The ingress gateway's identity in the mesh: a join token for istio-system/istio-ingressgateway-service-account
// from the control plane's CA, kept fresh in a file the gateway's agent reads before each certificate request.
// Without a CA (the control plane answers that it has none) the gateway runs without a certificate.
import { GATEWAY_NAMESPACE, GATEWAY_SERVICE_ACCOUNT } from './gateway-bootstrap.ts';
import { keepJoinToken, type JoinTokenKeeper } from './join-token-keeper.ts';

/** Writes a first token to `tokenFile` (owner-only) and keeps it fresh; undefined when there is no CA. */
export function keepGatewayToken(
  controlPlaneUrl: string,
  tokenFile: string,
  onError?: (message: string) => void,
): Promise<JoinTokenKeeper | undefined> {
  return keepJoinToken({
    controlPlaneUrl,
    tokenFile,
    identity: { namespace: GATEWAY_NAMESPACE, serviceAccount: GATEWAY_SERVICE_ACCOUNT },
    ...(onError ? { onError } : {}),
  });
}
