// What the listener manager is built from: the cluster view, stats, secrets, and the HTTP seam.
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { CreateHttpHandler, NetworkFilterFactory } from '../filters/network/network-filter.ts';
import type { TcpSessionHooks } from '../filters/network/tcp-proxy/session-info.ts';
import type { StatsSink } from '../stats/stats-sink.ts';
import type { LogSinks } from '../telemetry/access-log/log-sink.ts';
import type { ClusterManagerView } from '../upstream/cluster-view.ts';
import type { SecretProvider } from '../upstream/secret-provider.ts';

/** Istio's default drain duration for a proxy's listeners. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 45_000;

export interface ListenerManagerOptions {
  readonly clusters: ClusterManagerView;
  readonly stats: StatsSink;
  readonly secrets: SecretProvider;
  /** Builds the HTTP connection handler of one HCM filter chain (once per update of that chain). */
  readonly createHttp: CreateHttpHandler;
  /** Where to bind instead of the configured address (explicit capture, tests); undefined keeps it. */
  readonly bindAddressOverride?: (listener: Listener) => { address: string; port: number } | undefined;
  /** How long retired listeners and chains may take to finish their connections. */
  readonly drainTimeoutMs?: number;
  /** More network filters by typed_config type URL (e.g. network RBAC); they win over the built-in ones. */
  readonly networkFilters?: ReadonlyMap<string, NetworkFilterFactory>;
  /** tcp_proxy session start/end, for TCP metrics and access logs. */
  readonly tcpSessions?: TcpSessionHooks;
  /** The files tcp_proxy access logs write to, shared with the HTTP connection managers. */
  readonly accessLogSinks?: LogSinks;
  /** Operational log lines (a listener that could not bind at commit); defaults to console.warn. */
  readonly log?: (message: string) => void;
}
