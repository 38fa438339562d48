// The bootstrap of a `heddle run` sidecar: Istio's node identity for the workload, explicit capture (the app
// uses the outbound port as HTTP_PROXY; mesh ports forward to the app on loopback), and the join token the
// control plane handed out at registration, when it runs a CA: inline, or (what `heddle run` writes) a file
// that is kept fresh, read before each certificate request.
import { formatAddress } from '../control/listen-address.ts';

export interface SidecarBootstrapInput {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly address: string;
  readonly xdsAddress: string;
  readonly outboundPort: number;
  /** Mesh port → app port. */
  readonly appPorts: ReadonlyMap<number, number>;
  readonly adminPort: number;
  readonly healthPort: number;
  readonly joinToken?: string;
  /** Where the join token is kept instead (`joinToken` wins when both are given). */
  readonly tokenFile?: string;
  /** The sidecar's merged Prometheus scrape port (its stats and the app's). */
  readonly metricsMergePort?: number;
  /** Where the app serves its own metrics on loopback. */
  readonly appMetrics?: { readonly port: number; readonly path: string };
  /**
   * `transparent`: the sidecar is alone in the workload's network namespace behind iptables capture (virtual
   * listeners 15001/15006, no HTTP proxy port); its admin stays on the namespace's loopback while health and
   * merged metrics listen on every address, for the host's readiness checks and the control plane's scrapes.
   */
  readonly capture?: 'explicit' | 'transparent';
}

export function sidecarNodeId(input: Pick<SidecarBootstrapInput, 'address' | 'name' | 'namespace'>): string {
  return `sidecar~${input.address}~${input.name}.${input.namespace}~${input.namespace}.svc.cluster.local`;
}

export function sidecarBootstrap(input: SidecarBootstrapInput): Record<string, unknown> {
  const appPorts = [...input.appPorts].map(([mesh, app]) => `${mesh}=${app}`).join(',');
  const transparent = input.capture === 'transparent';
  const servingAddress = transparent ? '0.0.0.0' : input.address;
  // Where the control plane scrapes Istio's metrics: the admin's stats, or (transparent) the merged endpoint.
  const metricsPort = transparent ? input.metricsMergePort : input.adminPort;
  return {
    node: {
      id: sidecarNodeId(input),
      cluster: `${input.name}.${input.namespace}`,
      metadata: {
        NAMESPACE: input.namespace,
        WORKLOAD_NAME: input.name,
        SERVICE_ACCOUNT: input.serviceAccount,
        LABELS: input.labels,
        INSTANCE_IPS: input.address,
        HEDDLE_CAPTURE: transparent ? 'transparent' : 'explicit',
        ...(transparent ? {} : { HEDDLE_OUTBOUND_PORT: String(input.outboundPort) }),
        ...(appPorts !== '' && !transparent ? { HEDDLE_APP_PORTS: appPorts } : {}),
        // The admin's Prometheus stats hold Istio's metrics: the control plane scrapes them for the dashboard.
        ...(metricsPort !== undefined && metricsPort > 0
          ? {
              HEDDLE_METRICS_URL: `http://${formatAddress({ host: input.address, port: metricsPort })}/stats/prometheus`,
            }
          : {}),
      },
    },
    controlPlane: { addresses: [input.xdsAddress] },
    admin: { address: transparent ? '127.0.0.1' : input.address, port: input.adminPort },
    health: { address: servingAddress, port: input.healthPort },
    drainTimeout: '5s',
    ...(input.metricsMergePort !== undefined
      ? {
          metricsMerge: {
            address: servingAddress,
            port: input.metricsMergePort,
            ...(input.appMetrics ? { appMetrics: input.appMetrics } : {}),
          },
        }
      : {}),
    ...(input.joinToken !== undefined
      ? { ca: { token: input.joinToken } }
      : input.tokenFile !== undefined
        ? { ca: { tokenFile: input.tokenFile } }
        : {}),
  };
}
