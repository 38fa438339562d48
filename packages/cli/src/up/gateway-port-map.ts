// Where the local ingress gateway listens for a Gateway server port. One machine without root cannot bind
// ports below 1024, so those move up by a fixed distance, as Istio's own gateway does (its Service port 80
// targets container port 8080, 443 targets 8443): by default 80 → 8080 and 443 → 8443.

/** The Gateway port whose local port `--gateway-port` names. */
export const GATEWAY_HTTP_PORT = 80;
export const DEFAULT_GATEWAY_LOCAL_PORT = 8080;
const FIRST_UNPRIVILEGED_PORT = 1024;

/** The distance privileged Gateway ports move, from the local port chosen for Gateway port 80. */
export function gatewayPortOffset(localHttpPort: number): number {
  return localHttpPort - GATEWAY_HTTP_PORT;
}

/** The local port for a Gateway port; 0 (any free port) when the moved port would not exist. */
export function localGatewayPort(gatewayPort: number, offset: number): number {
  if (gatewayPort >= FIRST_UNPRIVILEGED_PORT) return gatewayPort;
  const moved = gatewayPort + offset;
  return moved > 0 && moved <= 65_535 ? moved : 0;
}
