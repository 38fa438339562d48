// The Sidecar spec: narrows what a workload's proxy listens for and which services it can reach.
import type { WorkloadSelector } from '../common.ts';
import type { NetworkingApiVersion, Resource } from '../resource.ts';
import type { ConnectionPoolSettings } from './destination-rule.ts';
import type { ServerTLSSettings } from './gateway.ts';
import type { Destination } from './virtual-service.ts';

export type Sidecar = Resource<'Sidecar', SidecarSpec, NetworkingApiVersion>;

export interface SidecarSpec {
  /**
   * Unset: every workload of the namespace that no selector-bearing Sidecar picks; at most one such Sidecar
   * per namespace, and the one in the root namespace is the mesh-wide default.
   */
  readonly workloadSelector?: WorkloadSelector;
  /** Explicit inbound listeners. Unset: built from the services that select the workload. */
  readonly ingress?: readonly IstioIngressListener[];
  /** Which services are reachable. Unset: the root namespace's default Sidecar, else every visible service. */
  readonly egress?: readonly IstioEgressListener[];
  /** Connection pool for every inbound listener; an ingress listener's own `connectionPool` wins. */
  readonly inboundConnectionPool?: ConnectionPoolSettings;
  /** Unset: meshConfig.outboundTrafficPolicy (ALLOW_ANY by default). */
  readonly outboundTrafficPolicy?: SidecarOutboundTrafficPolicy;
}

/** An inbound listener: where traffic for a port arrives and which local endpoint receives it. */
export interface IstioIngressListener {
  readonly port: SidecarPort;
  /** IP to bind; unset: the workload's addresses. */
  readonly bind?: string;
  readonly captureMode?: CaptureMode;
  /** `127.0.0.1:<port>`, `0.0.0.0:<port>` or `unix://<path>` to forward to. */
  readonly defaultEndpoint?: string;
  /** Terminate TLS from clients outside the mesh (SIMPLE or MUTUAL) instead of Istio mTLS. */
  readonly tls?: ServerTLSSettings;
  readonly connectionPool?: ConnectionPoolSettings;
}

/** An outbound listener: the services reachable on a port (or on all ports). */
export interface IstioEgressListener {
  /** Unset: all ports of the listed hosts. */
  readonly port?: SidecarPort;
  readonly bind?: string;
  readonly captureMode?: CaptureMode;
  /**
   * `namespace/dnsName` entries: namespace `*` any, `.` this one, `~` none; the name may be `*` or start
   * with `*.`. e.g. `./*`, `istio-system/*`, `prod/api.example.com`.
   */
  readonly hosts: readonly string[];
}

/** A listener port; unlike a Gateway `Port`, every field is optional. */
export interface SidecarPort {
  readonly number?: number;
  readonly protocol?: string;
  readonly name?: string;
  readonly targetPort?: number;
}

/** `DEFAULT`: the environment's capture (iptables when present); `IPTABLES`: captured; `NONE`: explicit. */
export type CaptureMode = 'DEFAULT' | 'IPTABLES' | 'NONE';

export interface SidecarOutboundTrafficPolicy {
  /** `REGISTRY_ONLY` blocks hosts not in the registry (BlackHoleCluster); `ALLOW_ANY` passes them through. */
  readonly mode?: SidecarOutboundTrafficMode;
  /** With ALLOW_ANY, send unknown destinations to this egress proxy instead of PassthroughCluster. */
  readonly egressProxy?: Destination;
}

export type SidecarOutboundTrafficMode = 'REGISTRY_ONLY' | 'ALLOW_ANY';
