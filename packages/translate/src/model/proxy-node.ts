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
   * `explicit`: the app calls the proxy as an HTTP proxy on `outboundPort`; inbound arrives on `inboundPort`
   * and is forwarded to the app on loopback.
   */
  readonly capture: 'transparent' | 'explicit';
  readonly outboundPort?: number;
  readonly inboundPort?: number;
  /** Proxy build version, for EnvoyFilter proxyVersion matching. */
  readonly version?: string;
  /** Raw node metadata (ISTIO_META_* equivalents). */
  readonly metadata: Readonly<Record<string, string>>;
}
