// The bootstrap of a `heddle run` sidecar: Istio's node identity for the workload, explicit capture (the app
// uses the outbound port as HTTP_PROXY; mesh ports forward to the app on loopback), and the join token the
// control plane handed out at registration, when it runs a CA.

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
  /** The sidecar's merged Prometheus scrape port (its stats and the app's). */
  readonly metricsMergePort?: number;
  /** Where the app serves its own metrics on loopback. */
  readonly appMetrics?: { readonly port: number; readonly path: string };
}

export function sidecarNodeId(input: Pick<SidecarBootstrapInput, 'address' | 'name' | 'namespace'>): string {
  return `sidecar~${input.address}~${input.name}.${input.namespace}~${input.namespace}.svc.cluster.local`;
}

export function sidecarBootstrap(input: SidecarBootstrapInput): Record<string, unknown> {
  const appPorts = [...input.appPorts].map(([mesh, app]) => `${mesh}=${app}`).join(',');
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
        HEDDLE_CAPTURE: 'explicit',
        HEDDLE_OUTBOUND_PORT: String(input.outboundPort),
        ...(appPorts !== '' ? { HEDDLE_APP_PORTS: appPorts } : {}),
      },
    },
    controlPlane: { addresses: [input.xdsAddress] },
    admin: { address: input.address, port: input.adminPort },
    health: { address: input.address, port: input.healthPort },
    drainTimeout: '5s',
    ...(input.metricsMergePort !== undefined
      ? {
          metricsMerge: {
            address: input.address,
            port: input.metricsMergePort,
            ...(input.appMetrics ? { appMetrics: input.appMetrics } : {}),
          },
        }
      : {}),
    ...(input.joinToken !== undefined ? { ca: { token: input.joinToken } } : {}),
  };
}
