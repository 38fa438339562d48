// Assembles the control plane that `heddle control` runs: store, registry, snapshot, push queue, ADS gRPC server
// and the monitoring/API HTTP server, with a graceful close.
import { hostname } from 'node:os';
import { Server } from '@grpc/grpc-js';
import { translateProxy } from '@heddle/translate';
import type { ApiContext } from '../http/api-context.ts';
import { createApiHandler } from '../http/api-handler.ts';
import { startHttpServer, type RunningHttpServer } from '../http/http-server.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../http/read-body.ts';
import { createPilotMetrics } from '../metrics/pilot-metrics.ts';
import { registerProcessMetrics } from '../metrics/process-metrics.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { systemClock, type Clock } from '../push/clock.ts';
import { MeshState } from '../push/mesh-state.ts';
import { createProxyTranslator, type TranslateFn } from '../push/proxy-translator.ts';
import { createPushCycle } from '../push/push-cycle.ts';
import { PushQueue, type DebounceOptions } from '../push/push-queue.ts';
import { ServiceRegistry } from '../registry/registry.ts';
import type { CredentialSource } from '../snapshot/build-mesh-snapshot.ts';
import type { ConfigStore } from '../store/config-store.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import { AdsServer } from '../xds/ads-server.ts';
import { bindGrpc, shutdownGrpc } from './grpc-lifecycle.ts';
import { jsonLogger, type Logger } from './logger.ts';
import { parseListenAddress } from './parse-address.ts';
import { watchConfigEvents } from './watch-config-events.ts';

export const CONTROL_PLANE_VERSION = '0.1.0';

export interface ControlPlaneOptions {
  /** Where the sqlite store lives when no `store` is given. */
  readonly dataDir: string;
  /** Plaintext ADS; `127.0.0.1:15010` by default (loopback only: it has no authentication). */
  readonly xdsAddress?: string;
  /** Monitoring, debug and config API; `127.0.0.1:15014` by default. */
  readonly httpAddress?: string;
  /** A store the caller owns (and closes); by default a sqlite store in `dataDir` that close() closes. */
  readonly store?: ConfigStore;
  readonly debounce?: DebounceOptions;
  readonly logger?: Logger;
  /** The translator; translateProxy by default, a fake in tests. */
  readonly translate?: TranslateFn;
  readonly clock?: Clock;
  /** This replica's name in proxy-status; `<hostname>-<pid>` by default. */
  readonly instanceId?: string;
  /** TLS credential names for Gateway credentialName; none until the secret store exists. */
  readonly credentials?: CredentialSource;
  readonly maxBodyBytes?: number;
  readonly writeTimeoutMs?: number;
  /** Where the `istio` ConfigMap is read; `istio-system` by default. */
  readonly controlPlaneNamespace?: string;
}

export interface ControlPlane {
  readonly xdsPort: number;
  readonly httpPort: number;
  readonly store: ConfigStore;
  readonly registry: ServiceRegistry;
  readonly instanceId: string;
  /** Resolves when no change is waiting to be pushed (tests, and scripts that apply then check). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const logger = options.logger ?? jsonLogger();
  const clock = options.clock ?? systemClock;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
  const xdsAddress = parseListenAddress(options.xdsAddress ?? '127.0.0.1:15010', 'xdsAddress');
  const httpAddress = parseListenAddress(options.httpAddress ?? '127.0.0.1:15014', 'httpAddress');
  const ownsStore = options.store === undefined;
  const store = options.store ?? openSqliteStore({ dataDir: options.dataDir });
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
  };
  if (ownsStore) cleanups.push(() => store.close());
  try {
    const metricsRegistry = new MetricsRegistry();
    const metrics = createPilotMetrics(metricsRegistry, CONTROL_PLANE_VERSION);
    registerProcessMetrics(metricsRegistry);

    const registry = new ServiceRegistry(store);
    await registry.start();
    cleanups.push(() => registry.close());

    const state = new MeshState({
      store,
      services: () => registry.services(),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.controlPlaneNamespace ? { controlPlaneNamespace: options.controlPlaneNamespace } : {}),
    });
    const initial = await state.rebuild();
    metrics.services.set({}, initial.snapshot.services.length);
    metrics.virtualServices.set({}, initial.snapshot.virtualServices.length);
    for (const problem of initial.meshConfig.problems) logger.warn(problem);

    const translate = createProxyTranslator({
      state,
      translate: options.translate ?? translateProxy,
      metrics,
      logger,
    });
    const ads = new AdsServer({
      clock,
      metrics,
      logger,
      instanceId,
      version: CONTROL_PLANE_VERSION,
      translate,
      ...(options.writeTimeoutMs !== undefined ? { writeTimeoutMs: options.writeTimeoutMs } : {}),
    });
    const queue = new PushQueue({
      clock,
      ...(options.debounce ? { debounce: options.debounce } : {}),
      flush: async (batch) => {
        await createPushCycle({ state, streams: () => ads.streams(), translate, metrics, clock, logger })(
          batch,
        );
      },
      onError: (error) => {
        metrics.internalErrors.inc({ type: 'push' });
        logger.error('push failed', { error: error instanceof Error ? error.message : String(error) });
      },
    });
    cleanups.push(() => queue.close());
    const stopWatching = watchConfigEvents(store, registry, metrics, (reason) => queue.trigger(reason));
    cleanups.push(stopWatching);

    const grpcServer = new Server({ 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 });
    ads.register(grpcServer);
    const xdsPort = await bindGrpc(grpcServer, xdsAddress);
    cleanups.push(() => shutdownGrpc(grpcServer, ads));

    let ready = false;
    const apiContext: ApiContext = {
      store,
      registry,
      streams: () => ads.streams(),
      metrics: metricsRegistry,
      instanceId,
      ready: () => ready,
      logger,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      workloads: new Map(),
    };
    const http: RunningHttpServer = await startHttpServer(
      httpAddress.host,
      httpAddress.port,
      createApiHandler(apiContext),
    );
    cleanups.push(() => http.close());
    ready = true;
    logger.info('control plane started', { instanceId, xdsPort, httpPort: http.port });

    let closing: Promise<void> | undefined;
    return {
      xdsPort,
      httpPort: http.port,
      store,
      registry,
      instanceId,
      idle: () => queue.idle(),
      close: () => {
        ready = false;
        closing ??= cleanup().then(() => logger.info('control plane stopped', { instanceId }));
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
