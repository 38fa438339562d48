// What a tcp_proxy session exposes to metrics and access logs (the TCP side of Envoy's StreamInfo).
import type { DownstreamConnectionInfo } from '../../../http/http-connection-handler.ts';
import type { UpstreamHost } from '../../../upstream/cluster-view.ts';

/** Envoy's response flags as they apply to TCP. */
export type TcpResponseFlag =
  /** No healthy upstream host. */
  | 'UH'
  /** Upstream connection failure. */
  | 'UF'
  /** No cluster of that name. */
  | 'NC'
  /** max_connect_attempts reached. */
  | 'URX'
  /** max_downstream_connection_duration reached. */
  | 'DT';

export type TcpTermination =
  | 'downstream-close'
  | 'upstream-close'
  | 'idle-timeout'
  | 'max-duration'
  | 'no-cluster'
  | 'no-healthy-upstream'
  | 'connect-failure'
  /** Closed by the proxy itself: listener drain deadline, shutdown. */
  | 'local-close';

/**
 * A live record: byte counts grow while the session runs, so a periodic reporter (Istio's TCP metrics) can
 * read deltas from the object it got in onSessionStart.
 */
export interface TcpSessionInfo {
  readonly listenerName: string;
  readonly chainName: string;
  readonly statPrefix: string;
  readonly downstream: DownstreamConnectionInfo;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly cluster: string | undefined;
  readonly upstreamHost: UpstreamHost | undefined;
  /** Bytes read from the downstream client (and forwarded upstream). */
  readonly bytesReceived: number;
  /** Bytes written to the downstream client. */
  readonly bytesSent: number;
  readonly connectAttempts: number;
  readonly responseFlags: readonly TcpResponseFlag[];
  /** Set when the session is complete. */
  readonly durationMs: number | undefined;
  readonly termination: TcpTermination | undefined;
}

export interface TcpSessionHooks {
  onSessionStart?(info: TcpSessionInfo): void;
  onSessionComplete?(info: TcpSessionInfo): void;
}
