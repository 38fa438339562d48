// The ADS gRPC service: accepts SotW and Delta streams, keeps the connected proxies, and closes them on shutdown.
import { randomUUID } from 'node:crypto';
import { status, type Server, type ServerDuplexStream } from '@grpc/grpc-js';
import type { ProxyNode } from '@heddle/translate';
import type {
  DeltaDiscoveryRequest,
  DeltaDiscoveryResponse,
  DiscoveryRequest,
  DiscoveryResponse,
} from '@heddle/xds';
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { Clock } from '../push/clock.ts';
import type { YieldToIo } from '../push/yield-to-io.ts';
import type { Logger } from '../server/logger.ts';
import { XdsAuthenticator } from './auth/xds-authenticator.ts';
import { DeltaStream } from './delta-stream.ts';
import { InitialTranslations } from './initial-translations.ts';
import type { ProxyResources } from './proxy-resources.ts';
import { SotwStream } from './sotw-stream.ts';
import type { StreamContext } from './stream-context.ts';
import { tolerantAdsDefinition, type UndecodableRequest } from './tolerant-definition.ts';
import type { XdsStream } from './xds-stream.ts';

export interface AdsServerOptions {
  readonly clock: Clock;
  readonly metrics: PilotMetrics;
  readonly logger: Logger;
  /** This control-plane replica, reported to proxies in `control_plane.identifier` and by proxy-status. */
  readonly instanceId: string;
  readonly version: string;
  /**
   * Translation for a newly connected proxy from the current snapshot; undefined when it failed. Runs queued,
   * one proxy per event-loop turn, never inside the gRPC handler.
   */
  readonly translate: (node: ProxyNode) => ProxyResources | undefined;
  /** Between two initial translations; tests may slow it down. */
  readonly yieldToIo?: YieldToIo;
  /** A response not flushed within this time closes the stream (pilot_xds_write_timeout); 0 disables. */
  readonly writeTimeoutMs?: number;
  /** Who may open a stream (and read which credential secrets); nobody is asked when absent. */
  readonly auth?: XdsAuthenticator;
}

export const DEFAULT_WRITE_TIMEOUT_MS = 30_000;

export class AdsServer {
  readonly #streams = new Set<XdsStream>();
  readonly #context: StreamContext;
  readonly #metrics: PilotMetrics;
  readonly #initial: InitialTranslations;
  #connectionCount = 0;

  constructor(options: AdsServerOptions) {
    this.#metrics = options.metrics;
    this.#initial = new InitialTranslations({
      translate: options.translate,
      ...(options.yieldToIo ? { yieldToIo: options.yieldToIo } : {}),
    });
    const noncePrefix = randomUUID().slice(0, 8);
    let nonce = 0;
    const auth = options.auth ?? XdsAuthenticator.off();
    this.#context = {
      clock: options.clock,
      metrics: options.metrics,
      logger: options.logger,
      // Istio's shape, which tools already parse: {"Component":…,"ID":…,"info":{"version":…}}.
      controlPlaneIdentifier: JSON.stringify({
        Component: 'heddle-control-plane',
        ID: options.instanceId,
        info: { version: options.version },
      }),
      writeTimeoutMs: options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
      nextNonce: () => `${noncePrefix}-${++nonce}`,
      nextConnectionId: (node) => `${node.id}-${++this.#connectionCount}`,
      connect: (stream) => this.#connect(stream),
      disconnect: (stream) => this.#disconnect(stream),
      requestInitialTranslation: (stream) => this.#initial.enqueue(stream),
      admit: (metadata, peer) => auth.admit(metadata, peer),
    };
  }

  /** Adds the ADS service (SotW and Delta) to a gRPC server. */
  register(server: Server): void {
    const implementation = {
      streamAggregatedResources: (
        call: ServerDuplexStream<DiscoveryRequest | UndecodableRequest, DiscoveryResponse>,
      ) => new SotwStream(call, this.#context),
      deltaAggregatedResources: (
        call: ServerDuplexStream<DeltaDiscoveryRequest | UndecodableRequest, DeltaDiscoveryResponse>,
      ) => new DeltaStream(call, this.#context),
    };
    server.addService(tolerantAdsDefinition, implementation);
  }

  /** Connected proxies, oldest first. */
  streams(): XdsStream[] {
    return [...this.#streams];
  }

  /** Newly connected proxies still waiting for their first translation. */
  pendingInitialTranslations(): number {
    return this.#initial.pending;
  }

  /** Resolves once every connected proxy has had its first translation attempted. */
  idle(): Promise<void> {
    return this.#initial.idle();
  }

  /** Ends every stream with UNAVAILABLE so that proxies reconnect (to another replica, or after a restart). */
  closeAll(details = 'the control plane is shutting down'): void {
    this.#initial.close();
    for (const stream of [...this.#streams]) stream.close(status.UNAVAILABLE, details);
  }

  #connect(stream: XdsStream): void {
    this.#streams.add(stream);
    this.#metrics.xdsClients.inc({ version: proxyVersion(stream) });
  }

  #disconnect(stream: XdsStream): void {
    if (!this.#streams.delete(stream)) return;
    this.#metrics.xdsClients.dec({ version: proxyVersion(stream) });
  }
}

function proxyVersion(stream: XdsStream): string {
  return stream.connection.node.version ?? 'unknown';
}
