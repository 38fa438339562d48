// The HTTP connection manager (envoy.filters.network.http_connection_manager): one HTTP/1.1 and one HTTP/2
// codec fed the listener's connections, each request canonicalized, given edge headers, and run through the
// filter chain to the router.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  constants,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Duplex } from 'node:stream';
import type { HttpConnectionManager } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { LocalReply } from '../filters/http/http-filter.ts';
import type { StatsSink } from '../stats/stats-sink.ts';
import type { ActiveTrace } from '../telemetry/tracing/hop-tracer.ts';
import {
  compileHcmLogsAndTracing,
  standaloneObservability,
  type HcmLogsAndTracing,
} from '../telemetry/tracing/hcm-logs-and-tracing.ts';
import type { ProxyObservability } from '../telemetry/tracing/proxy-observability.ts';
import type { ClusterManagerView } from '../upstream/cluster-view.ts';
import { canonicalizeRequest } from './canonicalize-request.ts';
import { SYSTEM_CLOCK, type HttpClock, type RandomSource } from './clock.ts';
import { auditedSocket } from './hcm/audited-socket.ts';
import { handleConnect } from './hcm/connect-tunnel.ts';
import type { H2HeaderAudit } from './hcm/h2-header-audit.ts';
import { markLocalReset, PrematureResetTracker } from './hcm/premature-reset.ts';
import { codecHeadersOrReply, ConnectionTracker, finalizeResponse } from './hcm/connection-support.ts';
import { http1RequestHeaders, http2RequestHeaders, type CodecHeaders } from './hcm/codec-headers.ts';
import type { DownstreamStream } from './hcm/downstream-stream.ts';
import { buildFilterChain } from './hcm/filter-chain.ts';
import { FilterManager, type ChainEntry, type StreamContext } from './hcm/filter-manager.ts';
import { applyForwardedHeaders } from './hcm/forwarded-headers.ts';
import { parseHcmOptions, type HcmOptions } from './hcm/hcm-options.ts';
import { createHcmStats, type HcmStats } from './hcm/hcm-stats.ts';
import { Http1Stream } from './hcm/http1-stream.ts';
import { createHttp1Server } from './hcm/http1-server.ts';
import { Http2Stream } from './hcm/http2-stream.ts';
import { createHttp2Server } from './hcm/http2-server.ts';
import { UpgradeStream } from './hcm/upgrade-stream.ts';
import type { DownstreamConnectionInfo, HttpConnectionHandler } from './http-connection-handler.ts';
import { compileRouteTable, type CompiledRouteTable, type RouteTables } from './route-tables.ts';
import { createStreamInfo, type StreamInfo } from './stream-info.ts';
import { stripPort } from './routing/virtual-host-selector.ts';

export interface HttpConnectionManagerDeps {
  readonly routes: RouteTables;
  readonly clusters: ClusterManagerView;
  readonly stats: StatsSink;
  readonly clock?: HttpClock;
  readonly random?: RandomSource;
  /** Called once per stream when it ends, for access logs and metrics. */
  readonly onStreamComplete?: (info: StreamInfo) => void;
  /** Log sinks and span exporters shared by the proxy's connection managers. */
  readonly observability?: ProxyObservability;
}

export function createHttpConnectionManager(
  config: HttpConnectionManager,
  deps: HttpConnectionManagerDeps,
): HttpConnectionHandler | { readonly error: string } {
  const options = parseHcmOptions(config);
  if ('error' in options) return options;
  let table: () => CompiledRouteTable | undefined;
  const spec = config.routeSpecifier;
  if (spec.case === 'rds') {
    const name = spec.value.routeConfigName;
    table = () => deps.routes.routeTable(name);
  } else if (spec.case === 'routeConfig') {
    const compiled = compileRouteTable(spec.value);
    if ('error' in compiled) return { error: `http_connection_manager route_config: ${compiled.error}` };
    table = () => compiled;
  } else {
    return { error: 'http_connection_manager: no route specifier' };
  }
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const random = deps.random ?? Math.random;
  const chain = buildFilterChain(config.httpFilters, {
    statPrefix: options.statPrefix,
    stats: deps.stats,
    clusters: deps.clusters,
    clock,
    random,
  });
  if ('error' in chain) return { error: `http_connection_manager: ${chain.error}` };
  const telemetry = compileHcmLogsAndTracing(
    config,
    deps.observability ?? standaloneObservability(deps.clusters, deps.stats),
    random,
  );
  if ('error' in telemetry) return { error: `http_connection_manager: ${telemetry.error}` };
  return new ConnectionManager(options, chain, table, deps, clock, random, telemetry);
}

class ConnectionManager implements HttpConnectionHandler {
  readonly #options: HcmOptions;
  readonly #table: () => CompiledRouteTable | undefined;
  readonly #deps: HttpConnectionManagerDeps;
  readonly #clock: HttpClock;
  readonly #random: RandomSource;
  readonly #stats: HcmStats;
  readonly #tracker: ConnectionTracker;
  readonly #http1;
  readonly #http2;
  /** The connection being handed to the HTTP/2 server: its 'session' event fires synchronously. */
  #handing:
    | { readonly info: DownstreamConnectionInfo; readonly audit: H2HeaderAudit; readonly socket: Duplex }
    | undefined;
  /** Per HTTP/2 connection: one lookup per stream. */
  readonly #sessions = new WeakMap<ServerHttp2Session, SessionState>();
  readonly #telemetry: HcmLogsAndTracing;
  readonly #traces = new WeakMap<StreamInfo, ActiveTrace>();
  readonly #streamContext: StreamContext;

  constructor(
    options: HcmOptions,
    chain: readonly ChainEntry[],
    table: () => CompiledRouteTable | undefined,
    deps: HttpConnectionManagerDeps,
    clock: HttpClock,
    random: RandomSource,
    telemetry: HcmLogsAndTracing,
  ) {
    this.#telemetry = telemetry;
    this.#options = options;
    this.#table = table;
    this.#deps = deps;
    this.#clock = clock;
    this.#random = random;
    this.#stats = createHcmStats(deps.stats, options.statPrefix);
    this.#tracker = new ConnectionTracker(this.#stats);
    this.#streamContext = {
      chain,
      clock,
      random,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
      finalizeResponse: (out, streamInfo) => finalizeResponse(out, streamInfo, options),
      onComplete: (streamInfo, complete) => this.#complete(streamInfo, complete),
    };
    this.#http1 = createHttp1Server(options, this.#stats, {
      onRequest: (req, res) => this.#onHttp1Request(req, res),
      onUpgrade: (req, socket, head) => this.#onUpgrade(req, socket, head),
      onConnect: (req, socket, head) => this.#onConnect(req, socket, head),
    });
    this.#http2 = createHttp2Server(options, {
      onSession: (session) => this.#onSession(session),
      onStream: (stream, headers, flags, raw) => this.#onHttp2Stream(stream, headers, flags, raw),
    });
  }

  handleConnection(socket: Duplex, protocol: 'http1' | 'http2', info: DownstreamConnectionInfo): void {
    const forced = this.#options.codec;
    const codec = forced === 'auto' ? protocol : forced;
    this.#tracker.add(socket, info, codec);
    // Sockets come from the listener's server, so Node's own `noDelay` option never applied to them.
    const tcp = socket as Duplex & { setNoDelay?: (noDelay: boolean) => void };
    if (typeof tcp.setNoDelay === 'function') tcp.setNoDelay(true);
    this.#serve(socket, codec, info);
  }

  /** Hands a connection (or a CONNECT tunnel carrying HTTP) to its codec. */
  #serve(socket: Duplex, codec: 'http1' | 'http2', info: DownstreamConnectionInfo): void {
    if (codec === 'http1') {
      this.#http1.emit('connection', socket);
      return;
    }
    const audited = auditedSocket(socket);
    this.#handing = { info, audit: audited.audit, socket };
    try {
      this.#http2.emit('connection', audited.stream);
    } finally {
      this.#handing = undefined;
    }
  }

  drain(options?: { readonly closeIdle?: boolean }): void {
    this.#tracker.drain(this.#http1, options?.closeIdle === true);
  }

  close(): void {
    this.#tracker.closeAll(this.#http1);
    // Stops the slow-client checking interval (the server itself never listened).
    this.#http1.close();
    this.#http2.close();
  }

  #onSession(session: ServerHttp2Session): void {
    const handing = this.#handing;
    this.#tracker.addSession(session, handing?.socket);
    const stats = this.#stats;
    this.#sessions.set(session, {
      info: handing?.info,
      audit: handing?.audit,
      resets: new PrematureResetTracker(session, this.#clock, () => stats.rqTooManyPrematureResets.inc()),
    });
    session.on('error', () => {});
  }

  #onHttp1Request(req: IncomingMessage, res: ServerResponse): void {
    const info = this.#tracker.info(req.socket);
    const stream = new Http1Stream(req, res, () => this.#tracker.draining);
    this.#run(stream, http1RequestHeaders(req, info.tls), info);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const info = this.#tracker.info(req.socket);
    const type = (req.headers.upgrade ?? '').toLowerCase();
    const stream = new UpgradeStream(socket, head, type);
    this.#run(stream, http1RequestHeaders(req, info.tls), info);
  }

  #onConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const info = this.#tracker.info(req.socket);
    handleConnect(req, socket, head, info, {
      table: this.#table(),
      clusters: this.#deps.clusters,
      random: this.#random,
      stats: this.#stats,
      serveHttp: (tunnel, codec, tunnelInfo) => {
        this.#serve(tunnel, codec, tunnelInfo);
        tunnel.resume();
      },
    });
  }

  #onHttp2Stream(
    stream: ServerHttp2Stream,
    _headers: IncomingHttpHeaders,
    flags: number,
    raw: string[],
  ): void {
    const state = this.#sessions.get(stream.session as ServerHttp2Session);
    const info = state?.info ?? this.#tracker.unknownInfo();
    state?.resets.track(stream);
    const sent = state?.audit?.take(stream.id ?? 0);
    if (sent !== undefined && sent > raw.length / 2) {
      // nghttp2 dropped a field it found invalid (NUL, CR or LF in a value): reset, never forward without it.
      this.#stats.rxMessagingError.inc();
      stream.on('error', () => {});
      markLocalReset(stream);
      stream.close(constants.NGHTTP2_PROTOCOL_ERROR);
      return;
    }
    // END_STREAM on the HEADERS frame: the request has no body.
    const endStream = (flags & 0x1) !== 0;
    this.#run(new Http2Stream(stream, endStream), http2RequestHeaders(raw, info.tls), info);
  }

  #run(stream: DownstreamStream, codec: CodecHeaders, connection: DownstreamConnectionInfo): void {
    const stats = this.#stats;
    const options = this.#options;
    stats.rqTotal.inc();
    (stream.protocol === 'http1' ? stats.rqHttp1Total : stats.rqHttp2Total).inc();
    stats.rqActive.add(1);
    const info = createStreamInfo(connection, stream.protocol, this.#clock.now(), this.#clock.monotonic());
    const headers = codec.headers;
    info.requestHeaders = headers;
    const table = this.#table();
    const manager = new FilterManager(stream, info, headers, this.#streamContext, table);
    const refused = codecHeadersOrReply(codec, options, stats);
    if (refused) {
      if (stream.protocol === 'http2' && refused.status === 431) {
        // HTTP/2 has no 431 convention for too many headers: the stream is reset, as Envoy does.
        stats.rqActive.add(-1);
        stream.reset();
        return;
      }
      stream.closeAfterResponse?.();
      manager.replyWithoutFilters(refused);
      return;
    }
    const canonical = canonicalizeRequest(headers, options.path);
    if (canonical.kind !== 'ok') {
      stats.rqFailedPathNormalization.inc();
      const reply: LocalReply =
        canonical.kind === 'reject'
          ? { status: canonical.status, details: canonical.details, flag: 'DPE' }
          : {
              status: 307,
              headers: { location: canonical.location },
              details: 'path_normalization_redirect',
            };
      if (canonical.kind === 'redirect') stats.rqRedirectedWithNormalizedPath.inc();
      else stream.closeAfterResponse?.();
      manager.replyWithoutFilters(reply);
      return;
    }
    normalizeAuthority(headers, options);
    const forwarded = applyForwardedHeaders(headers, options, connection);
    // At the edge every client is external: headers the route configuration reserves for internal use go.
    if (options.useRemoteAddress && table) for (const name of table.internalOnlyHeaders) delete headers[name];
    info.downstreamRemoteAddress = forwarded.clientAddress;
    if (forwarded.requestId !== undefined) info.requestId = forwarded.requestId;
    // After the request id exists and before any filter runs, so upstream requests carry this hop's context.
    const trace = this.#telemetry.tracer?.start(headers, info);
    if (trace) this.#traces.set(info, trace);
    manager.start();
  }

  #complete(info: StreamInfo, complete: boolean): void {
    const stats = this.#stats;
    stats.rqActive.add(-1);
    info.durationMs = this.#clock.monotonic() - info.startMonotonic;
    if (complete) stats.rqCompleted.inc();
    else if (info.responseFlags.has('DC')) stats.rqRxReset.inc();
    else stats.rqTxReset.inc();
    const code = info.responseCode;
    if (code !== undefined) stats.rqByClass[Math.min(5, Math.floor(code / 100))]?.inc();
    if (info.responseFlags.has('NR')) stats.noRoute.inc();
    if (info.responseFlags.has('SI')) stats.rqIdleTimeout.inc();
    this.#traces.get(info)?.finish(info);
    for (const logger of this.#telemetry.loggers) logger.log(info);
    this.#deps.onStreamComplete?.(info);
  }
}

interface SessionState {
  readonly info: DownstreamConnectionInfo | undefined;
  readonly audit: H2HeaderAudit | undefined;
  readonly resets: PrematureResetTracker;
}

function normalizeAuthority(headers: Record<string, string | string[]>, options: HcmOptions): void {
  let authority = headers[':authority'];
  if (typeof authority !== 'string') return;
  if (options.stripAnyHostPort) authority = stripPort(authority) ?? authority;
  if (options.stripTrailingHostDot) {
    const bare = stripPort(authority);
    const host = bare ?? authority;
    const port = bare !== undefined ? authority.slice(bare.length) : '';
    if (host.endsWith('.')) authority = `${host.slice(0, -1)}${port}`;
  }
  headers[':authority'] = authority;
}
