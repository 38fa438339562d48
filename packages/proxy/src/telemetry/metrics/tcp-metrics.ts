// Istio's TCP metrics (`istio_tcp_*`): the `istio.stats` network filter tags each connection of its chain
// with the chain's metrics; tcp_proxy's session hooks then report the opening, the bytes (as deltas, at every
// stats read and at the end, so long connections show traffic while they run) and the close.
import type { DownstreamConnectionInfo } from '../../http/http-connection-handler.ts';
import type { TcpSessionHooks, TcpSessionInfo } from '../../filters/network/tcp-proxy/session-info.ts';
import type { HistogramSink } from '../../stats/stats-store.ts';
import { TCP_LABELS, TCP_METRICS } from './istio-metrics.ts';
import {
  destinationServiceFromCluster,
  destinationServiceFromHost,
  UNKNOWN_PEER,
  type MetricAttributes,
} from './metric-attributes.ts';
import { createSample, METRIC_INDEX, MetricRecorder } from './metric-recorder.ts';
import { UNKNOWN, type PeerMetadata } from './peer-metadata.ts';
import type { CompiledStatsConfig } from './stats-config.ts';

interface Collecting {
  addCollector(collect: () => void): () => void;
}

interface ActiveSession {
  readonly metrics: TcpMetrics;
  readonly info: TcpSessionInfo;
  /** Computed once the upstream cluster is known, and again at the close (final response flags). */
  attrs: MetricAttributes | undefined;
  opened: boolean;
  reportedReceived: number;
  reportedSent: number;
}

/** Connections tagged by an `istio.stats` network filter, until their tcp_proxy session starts. */
const tagged = new WeakMap<DownstreamConnectionInfo, TcpMetrics>();
const active = new Map<TcpSessionInfo, ActiveSession>();
const collectingStores = new WeakSet<object>();

export class TcpMetrics {
  readonly config: CompiledStatsConfig;
  readonly #recorder: MetricRecorder;
  readonly #sample = createSample();

  constructor(store: HistogramSink, config: CompiledStatsConfig) {
    this.config = config;
    this.#recorder = new MetricRecorder(store, config, TCP_METRICS, TCP_LABELS);
    const collecting = store as Partial<Collecting>;
    if (typeof collecting.addCollector === 'function' && !collectingStores.has(store)) {
      collectingStores.add(store);
      collecting.addCollector(flushActiveSessions);
    }
  }

  /** Called by the network filter for each connection of its chain. */
  tag(connection: DownstreamConnectionInfo): void {
    if (this.#recorder.active) tagged.set(connection, this);
  }

  attributes(info: TcpSessionInfo): MetricAttributes {
    const config = this.config;
    const client = config.reporter === 'source';
    const downstream = info.downstream;
    const mutualTls = !client && downstream.tls && downstream.peerPrincipal !== undefined;
    const peerPrincipal = downstream.peerPrincipal;
    const source = client ? config.local : peerFromPrincipal(peerPrincipal);
    const namespace = client ? UNKNOWN : config.local.namespace;
    return {
      reporter: config.reporter,
      source,
      destination: client ? UNKNOWN_PEER : config.local,
      peer: undefined,
      sourcePrincipal: client ? config.principal : (peerPrincipal ?? UNKNOWN),
      destinationPrincipal: mutualTls ? config.principal : UNKNOWN,
      destinationService:
        destinationServiceFromCluster(info.cluster, namespace) ??
        destinationServiceFromHost(UNKNOWN, namespace),
      requestProtocol: 'tcp',
      responseCode: '',
      grpcStatus: '',
      responseFlags: info.responseFlags.length === 0 ? '-' : info.responseFlags.join(','),
      securityPolicy: client ? 'unknown' : mutualTls ? 'mutual_tls' : 'none',
    };
  }

  /** Reports what changed since the last report; the opening waits until the cluster is chosen. */
  report(session: ActiveSession, closed: boolean): void {
    const { info } = session;
    if (!closed && info.cluster === undefined) return;
    if (closed || session.attrs === undefined) session.attrs = this.attributes(info);
    const sample = this.#sample;
    sample[METRIC_INDEX.TCP_OPENED_CONNECTIONS] = session.opened ? Number.NaN : 1;
    session.opened = true;
    sample[METRIC_INDEX.TCP_CLOSED_CONNECTIONS] = closed ? 1 : Number.NaN;
    sample[METRIC_INDEX.TCP_RECEIVED_BYTES] = info.bytesReceived - session.reportedReceived;
    sample[METRIC_INDEX.TCP_SENT_BYTES] = info.bytesSent - session.reportedSent;
    session.reportedReceived = info.bytesReceived;
    session.reportedSent = info.bytesSent;
    this.#recorder.record(session.attrs, sample);
  }
}

/** A peer known only by its SPIFFE identity: its namespace, nothing more. */
function peerFromPrincipal(principal: string | undefined): PeerMetadata {
  const match = principal === undefined ? null : /\/ns\/([^/]+)\/sa\/[^/]+$/.exec(principal);
  if (!match) return UNKNOWN_PEER;
  const namespace = match[1] as string;
  // Interned (bounded): the metrics cache keys on the peer object's identity.
  let peer = peersByNamespace.get(namespace);
  if (!peer) {
    if (peersByNamespace.size >= 1024) peersByNamespace.clear();
    peersByNamespace.set(namespace, (peer = { ...UNKNOWN_PEER, namespace }));
  }
  return peer;
}

const peersByNamespace = new Map<string, PeerMetadata>();

function flushActiveSessions(): void {
  for (const session of active.values()) session.metrics.report(session, false);
}

/** The tcp_proxy session hooks that report Istio's TCP metrics; the proxy installs them on its listeners. */
export const istioTcpSessionHooks: Required<TcpSessionHooks> = {
  onSessionStart(info) {
    const metrics = tagged.get(info.downstream);
    if (!metrics) return;
    tagged.delete(info.downstream);
    const session: ActiveSession = {
      metrics,
      info,
      attrs: undefined,
      opened: false,
      reportedReceived: 0,
      reportedSent: 0,
    };
    active.set(info, session);
    metrics.report(session, false);
  },
  onSessionComplete(info) {
    const session = active.get(info);
    if (!session) return;
    active.delete(info);
    // The cluster and response flags are final now (a failed connect adds UF, no cluster adds NC).
    session.metrics.report(session, true);
  },
};
