// The ingress gateway's identity in the mesh: a join token for istio-system/istio-ingressgateway-service-account
// from the control plane's CA, kept in a file the gateway's agent reads before each certificate request.
// Without a CA (the control plane answers that it has none) the gateway runs without a certificate.
import { writeFile } from 'node:fs/promises';
import { sendHttpRequest } from '../client/http-request.ts';
import { GATEWAY_NAMESPACE, GATEWAY_SERVICE_ACCOUNT } from './gateway-bootstrap.ts';

/** Writes a fresh token to `tokenFile` (owner-only); false when the control plane has no CA. */
export async function refreshGatewayToken(controlPlaneUrl: string, tokenFile: string): Promise<boolean> {
  const response = await sendHttpRequest({
    method: 'POST',
    url: new URL(`${controlPlaneUrl}/apis/v1/tokens`),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespace: GATEWAY_NAMESPACE, serviceAccount: GATEWAY_SERVICE_ACCOUNT }),
    timeoutMs: 10_000,
  });
  if (response.status !== 201) return false;
  const token = (JSON.parse(response.body) as { token?: unknown }).token;
  if (typeof token !== 'string' || token === '') return false;
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  return true;
}
