// The shape of network filters: a factory compiles typed config once per update; the result either vets each
// new connection (read filters, e.g. network RBAC) or takes the connection over (tcp_proxy, HTTP).
import type { Any } from '@bufbuild/protobuf/wkt';
import type { HttpConnectionManager } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { Duplex } from 'node:stream';
import type { DownstreamConnectionInfo, HttpConnectionHandler } from '../../http/http-connection-handler.ts';
import type { StatsSink } from '../../stats/stats-sink.ts';
import type { LogSinks } from '../../telemetry/access-log/log-sink.ts';
import type { ClusterManagerView } from '../../upstream/cluster-view.ts';
import type { TcpSessionHooks } from './tcp-proxy/session-info.ts';

export interface DownstreamConnection {
  readonly info: DownstreamConnectionInfo;
  /** ALPN protocol negotiated on a terminated TLS connection. */
  readonly negotiatedProtocol: string | undefined;
  /** What the http_inspector saw on a plaintext connection: `http/1.0`, `http/1.1` or `h2c`. */
  readonly detectedProtocol: string | undefined;
}

export type CreateHttpHandler = (
  hcm: HttpConnectionManager,
  chainName: string,
) => HttpConnectionHandler | { error: string };

export interface NetworkFilterContext {
  readonly listenerName: string;
  readonly chainName: string;
  readonly clusters: ClusterManagerView;
  readonly stats: StatsSink;
  readonly createHttp: CreateHttpHandler;
  readonly tcpSessions: TcpSessionHooks;
  /** Where tcp_proxy access logs write; the connection managers' own sinks when absent. */
  readonly accessLogSinks?: LogSinks;
}

export interface ReadNetworkFilter {
  readonly kind: 'read';
  /** False closes the connection (e.g. a network RBAC deny). */
  onConnection(connection: DownstreamConnection): boolean;
}

export interface TerminalNetworkFilter {
  readonly kind: 'terminal';
  /** Takes the socket over; it arrives paused, with any peeked bytes put back. */
  onConnection(socket: Duplex, connection: DownstreamConnection): void;
  /**
   * Graceful: finish what is in flight, accept no more work on existing connections. Idle HTTP/1.1
   * connections are left to their next response (`Connection: close`) unless `closeIdle` (proxy shutdown).
   */
  drain(options?: DrainOptions): void;
  /** Releases everything now (also called on a filter whose update was never committed). */
  close(): void;
  /** RDS names this filter reads (HTTP connection managers). */
  readonly routeConfigNames?: readonly string[];
}

export interface DrainOptions {
  /** Close connections that are idle now: a client cannot race a request against a close it was told of. */
  readonly closeIdle?: boolean;
}

export type NetworkFilter = ReadNetworkFilter | TerminalNetworkFilter;

export type NetworkFilterFactory = (
  typedConfig: Any,
  context: NetworkFilterContext,
) => NetworkFilter | { readonly error: string };
