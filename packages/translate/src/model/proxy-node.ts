// The proxy a translation is for: its role, identity and workload, as it announces itself in the xDS Node.

export type ProxyRole = 'sidecar' | 'router';

export interface ProxyNode {
  /** xDS node id, e.g. `sidecar~10.0.0.5~product-v2-1.ecommerce~ecommerce.svc.cluster.local`. */
  readonly id: string;
  /** `sidecar` for workloads; `router` for ingress and egress gateways (Istio's name). */
  readonly role: ProxyRole;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly workloadName: string;
  /** Addresses of the workload; the first is the one inbound listeners bind to. */
  readonly ipAddresses: readonly string[];
  /**
   * How traffic reaches the proxy. `transparent`: iptables redirect to 15001/15006 (Istio's model).
   * `explicit` (one machine, no root): the app calls the proxy as an HTTP proxy on 127.0.0.1:`outboundPort`;
   * the mesh reaches the workload on the ports its registry endpoint lists, where the proxy listens and
   * forwards to the app on loopback (`appPorts`).
   */
  readonly capture: 'transparent' | 'explicit';
  /** Explicit capture: the loopback port of the HTTP proxy listener the app uses as HTTP_PROXY. */
  readonly outboundPort?: number;
  /** Explicit capture: app port on 127.0.0.1 per mesh-facing listen port; absent entries mean the same port. */
  readonly appPorts?: Readonly<Record<string, number>>;
  /** Proxy build version, for EnvoyFilter proxyVersion matching. */
  readonly version?: string;
  /** Raw node metadata (ISTIO_META_* equivalents). */
  readonly metadata: Readonly<Record<string, string>>;
}
