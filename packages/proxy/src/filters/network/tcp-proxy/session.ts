// One tcp_proxy session: pick a cluster and host, connect (with retries), relay both ways with backpressure and
// half-close, and end on either side's close, the idle timeout or the maximum duration.
import type { Duplex } from 'node:stream';
import type {
  AttemptOutcome,
  ClusterManagerView,
  ClusterView,
  UpstreamAttemptError,
  UpstreamHost,
} from '../../../upstream/cluster-view.ts';
import type { DownstreamConnection } from '../network-filter.ts';
import type { TcpProxyConfig } from './config.ts';
import { relay } from './pipe.ts';
import type { TcpResponseFlag, TcpSessionHooks, TcpSessionInfo, TcpTermination } from './session-info.ts';

export interface TcpSessionDeps {
  readonly config: TcpProxyConfig;
  readonly clusters: ClusterManagerView;
  readonly hooks: TcpSessionHooks;
  readonly listenerName: string;
  readonly chainName: string;
  readonly random: () => number;
}

class SessionRecord implements TcpSessionInfo {
  listenerName: string;
  chainName: string;
  statPrefix: string;
  downstream: TcpSessionInfo['downstream'];
  startTime = Date.now();
  cluster: string | undefined;
  upstreamHost: UpstreamHost | undefined;
  bytesReceived = 0;
  bytesSent = 0;
  connectAttempts = 0;
  responseFlags: TcpResponseFlag[] = [];
  durationMs: number | undefined;
  termination: TcpTermination | undefined;

  constructor(deps: TcpSessionDeps, connection: DownstreamConnection) {
    this.listenerName = deps.listenerName;
    this.chainName = deps.chainName;
    this.statPrefix = deps.config.statPrefix;
    this.downstream = connection.info;
  }
}

export class TcpProxySession {
  readonly #deps: TcpSessionDeps;
  readonly #downstream: Duplex;
  readonly #record: SessionRecord;
  readonly #onDone: (session: TcpProxySession) => void;
  #upstream: Duplex | undefined;
  #connecting = false;
  #downstreamClosed = false;
  #upstreamClosed = false;
  #finished = false;
  #lastActivity = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #durationTimer: NodeJS.Timeout | undefined;

  constructor(
    downstream: Duplex,
    connection: DownstreamConnection,
    deps: TcpSessionDeps,
    onDone: (session: TcpProxySession) => void,
  ) {
    this.#deps = deps;
    this.#downstream = downstream;
    this.#record = new SessionRecord(deps, connection);
    this.#onDone = onDone;
  }

  get info(): TcpSessionInfo {
    return this.#record;
  }

  start(): void {
    const { config, clusters, hooks } = this.#deps;
    config.stats.cxTotal.inc();
    hooks.onSessionStart?.(this.#record);
    this.#downstream.on('error', () => this.#reset('downstream-close'));
    this.#downstream.on('close', () => this.#onClose('downstream'));
    if (this.#downstream.destroyed) return this.#onClose('downstream');
    if (config.maxDurationMs > 0)
      this.#durationTimer = setTimeout(() => {
        config.stats.maxDuration.inc();
        this.#flag('DT');
        this.#reset('max-duration');
      }, config.maxDurationMs);
    const name = config.pickCluster(this.#deps.random());
    this.#record.cluster = name;
    const cluster = clusters.cluster(name);
    if (!cluster) {
      config.stats.noRoute.inc();
      this.#flag('NC');
      return this.#reset('no-cluster');
    }
    this.#attempt(cluster, new Set());
  }

  /** Closes both sides now (drain deadline, shutdown). */
  close(): void {
    this.#reset('local-close');
  }

  #attempt(cluster: ClusterView, tried: Set<string>): void {
    const { config } = this.#deps;
    const { remoteAddress, originalDestination } = this.#record.downstream;
    const host = cluster.selectHost({
      ...(config.hashBySourceIp ? { hashKey: remoteAddress } : {}),
      // ORIGINAL_DST clusters (PassthroughCluster) connect where the client was going.
      ...(originalDestination
        ? { downstreamOriginalDestination: `${originalDestination.address}:${originalDestination.port}` }
        : {}),
      exclude: tried,
    });
    if (!host) {
      config.stats.noneHealthy(cluster.name).inc();
      this.#flag('UH');
      return this.#reset('no-healthy-upstream');
    }
    tried.add(host.id);
    this.#record.upstreamHost = host;
    this.#record.connectAttempts++;
    this.#connecting = true;
    const failed = (error?: unknown): void => {
      this.#connecting = false;
      cluster.recordOutcome(host, outcomeOf(error));
      if (this.#finished || this.#downstreamClosed) return this.#maybeFinish();
      if (this.#record.connectAttempts < config.maxConnectAttempts) return this.#attempt(cluster, tried);
      this.#flag('UF');
      if (config.maxConnectAttempts > 1) this.#flag('URX');
      this.#reset('connect-failure');
    };
    let pending: Promise<Duplex>;
    try {
      pending = cluster.connect(host);
    } catch (error) {
      return failed(error);
    }
    pending.then((upstream) => this.#connected(upstream), failed);
  }

  #connected(upstream: Duplex): void {
    this.#connecting = false;
    this.#upstream = upstream;
    upstream.on('error', () => this.#reset('upstream-close'));
    upstream.on('close', () => this.#onClose('upstream'));
    if (this.#finished || this.#downstreamClosed) {
      upstream.destroy();
      return;
    }
    const { stats, idleTimeoutMs } = this.#deps.config;
    const record = this.#record;
    this.#touch();
    relay(this.#downstream, upstream, {
      onBytes: (n) => {
        record.bytesReceived += n;
        stats.rxBytes.inc(n);
        this.#touch();
      },
      onPause: () => undefined,
      onResume: () => undefined,
    });
    relay(upstream, this.#downstream, {
      onBytes: (n) => {
        record.bytesSent += n;
        stats.txBytes.inc(n);
        this.#touch();
      },
      onPause: () => stats.pausedReading.inc(),
      onResume: () => stats.resumedReading.inc(),
    });
    if (idleTimeoutMs > 0) this.#armIdle(idleTimeoutMs);
  }

  #touch(): void {
    this.#lastActivity = Date.now();
  }

  /** One timer per session, re-armed lazily: traffic only stamps a time. */
  #armIdle(delay: number): void {
    const { idleTimeoutMs, stats } = this.#deps.config;
    this.#idleTimer = setTimeout(() => {
      const idle = Date.now() - this.#lastActivity;
      if (idle < idleTimeoutMs) return this.#armIdle(idleTimeoutMs - idle);
      stats.idleTimeout.inc();
      this.#reset('idle-timeout');
    }, delay);
  }

  #flag(flag: TcpResponseFlag): void {
    if (!this.#record.responseFlags.includes(flag)) this.#record.responseFlags.push(flag);
  }

  /** A side closed: the other gets what is already buffered, then closes too (Envoy's FlushWrite). */
  #onClose(side: 'downstream' | 'upstream'): void {
    if (side === 'downstream') this.#downstreamClosed = true;
    else this.#upstreamClosed = true;
    this.#record.termination ??= side === 'downstream' ? 'downstream-close' : 'upstream-close';
    const other = side === 'downstream' ? this.#upstream : this.#downstream;
    if (other) closeAfterFlush(other);
    this.#maybeFinish();
  }

  #reset(termination: TcpTermination): void {
    this.#record.termination ??= termination;
    this.#downstream.destroy();
    this.#upstream?.destroy();
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (this.#finished || !this.#downstreamClosed || this.#connecting) return;
    if (this.#upstream && !this.#upstreamClosed) return;
    this.#finished = true;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#durationTimer);
    this.#record.durationMs = Date.now() - this.#record.startTime;
    this.#onDone(this);
    this.#deps.hooks.onSessionComplete?.(this.#record);
  }
}

function closeAfterFlush(socket: Duplex): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  if (!socket.writableEnded) socket.end();
}

/** connect() rejects with an UpstreamAttemptError naming the outcome (e.g. a connect timeout); else a failure. */
function outcomeOf(error: unknown): AttemptOutcome {
  const outcome = (error as Partial<UpstreamAttemptError> | undefined)?.outcome;
  return outcome ?? { kind: 'connect-failure' };
}
