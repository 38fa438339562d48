// The bootstrap of the local ingress gateway: Istio's ingress gateway identity (role router, namespace
// istio-system, labels istio=ingressgateway) so Gateway resources selecting `istio: ingressgateway` bind to it.
import { formatAddress } from '../control/listen-address.ts';

export const GATEWAY_NAMESPACE = 'istio-system';
export const GATEWAY_WORKLOAD = 'istio-ingressgateway';
export const GATEWAY_LABELS = { istio: 'ingressgateway', app: 'istio-ingressgateway' } as const;
export const GATEWAY_SERVICE_ACCOUNT = `${GATEWAY_WORKLOAD}-service-account`;

export interface GatewayBootstrapInput {
  readonly address: string;
  readonly xdsAddress: string;
  readonly adminPort: number;
  readonly healthPort: number;
  /** The join token's file, when the control plane runs a CA. */
  readonly tokenFile?: string;
  /** Every Gateway listener binds here, ports below 1024 moved by `portOffset` (see gateway-port-map.ts). */
  readonly listen?: { readonly address: string; readonly portOffset: number };
}

export function gatewayNodeId(address: string): string {
  return `router~${address}~${GATEWAY_WORKLOAD}.${GATEWAY_NAMESPACE}~${GATEWAY_NAMESPACE}.svc.cluster.local`;
}

export function gatewayBootstrap(input: GatewayBootstrapInput): Record<string, unknown> {
  return {
    node: {
      id: gatewayNodeId(input.address),
      cluster: `${GATEWAY_WORKLOAD}.${GATEWAY_NAMESPACE}`,
      metadata: {
        NAMESPACE: GATEWAY_NAMESPACE,
        WORKLOAD_NAME: GATEWAY_WORKLOAD,
        SERVICE_ACCOUNT: GATEWAY_SERVICE_ACCOUNT,
        LABELS: GATEWAY_LABELS,
        INSTANCE_IPS: input.address,
        // The admin's Prometheus stats hold Istio's metrics: the control plane scrapes them for the dashboard.
        ...(input.adminPort > 0
          ? {
              HEDDLE_METRICS_URL: `http://${formatAddress({ host: input.address, port: input.adminPort })}/stats/prometheus`,
            }
          : {}),
      },
    },
    controlPlane: { addresses: [input.xdsAddress] },
    admin: { address: input.address, port: input.adminPort },
    health: { address: input.address, port: input.healthPort },
    drainTimeout: '5s',
    ...(input.tokenFile !== undefined ? { ca: { tokenFile: input.tokenFile } } : {}),
    ...(input.listen
      ? { listenerAddress: input.listen.address, privilegedPortOffset: input.listen.portOffset }
      : {}),
  };
}
