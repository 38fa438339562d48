// Small shapes several Istio kinds share: label maps, the two workload selector styles, policy target refs.

/** Label or annotation map. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Networking-style selector (`labels`), used by Sidecar, EnvoyFilter, ServiceEntry.
 * Unset: the resource applies to every workload in its namespace (in the root namespace: the whole mesh).
 */
export interface WorkloadSelector {
  readonly labels?: Labels;
}

/**
 * Policy-style selector (`matchLabels`, Istio's `istio.type.v1beta1.WorkloadSelector`), used by the security,
 * telemetry and extension kinds, ProxyConfig and DestinationRule. Unset: every workload in the namespace
 * (in the root namespace: the whole mesh).
 */
export interface PolicySelector {
  readonly matchLabels?: Labels;
}

/** Points a policy at a Gateway API resource or a Service instead of selecting workloads by label. */
export interface PolicyTargetReference {
  /** API group of the target; empty for the core group (Service). */
  readonly group?: string;
  /** e.g. `Gateway`, `Service`, `ServiceEntry`, `GatewayClass`. */
  readonly kind: string;
  readonly name: string;
  /** Must equal the policy's own namespace when set (cross-namespace references are not allowed). */
  readonly namespace?: string;
}
