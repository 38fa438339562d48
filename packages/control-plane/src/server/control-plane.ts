// Assembles the control plane that `heddle control` runs: store, registry, snapshot, push queue, ADS gRPC server
// and the monitoring/API HTTP server, with a graceful close.
import { hostname } from 'node:os';
import { Server } from '@grpc/grpc-js';
import { translateProxy } from '@heddle/translate';
import { startMeshCa, type CaOptions, type MeshCa } from '../ca/mesh-ca.ts';
import { bindSecureXds, secureXdsAddressOf } from '../ca/secure-xds.ts';
import { DEFAULT_TRUST_DOMAIN } from '../ca/workload-identity.ts';
import type { ApiContext } from '../http/api-context.ts';
import { createApiHandler } from '../http/api-handler.ts';
import { storeKindOf } from '../dashboard/dashboard-context.ts';
import {
  DEFAULT_METRICS_RETENTION_SECONDS,
  DEFAULT_SCRAPE_INTERVAL_SECONDS,
  MeshMetricsScraper,
} from '../mesh-metrics/mesh-metrics-scraper.ts';
import { startHttpServer, type RunningHttpServer } from '../http/http-server.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../http/read-body.ts';
import { createPilotMetrics } from '../metrics/pilot-metrics.ts';
import { registerProcessMetrics } from '../metrics/process-metrics.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { systemClock, type Clock } from '../push/clock.ts';
import { MeshState } from '../push/mesh-state.ts';
import { createProxyTranslator, type TranslateFn } from '../push/proxy-translator.ts';
import { createPushCycle, type PushScope } from '../push/push-cycle.ts';
import { createPushMetrics } from '../push/push-metrics.ts';
import { PushQueue, type DebounceOptions } from '../push/push-queue.ts';
import { ServiceRegistry } from '../registry/registry.ts';
import { JwksResolver, type JwksResolverOptions } from '../security/jwks-resolver.ts';
import { TraceStore } from '../telemetry-collector/trace-store.ts';
import { startZipkinServer } from '../telemetry-collector/zipkin-server.ts';
import { SecretStore } from '../secrets/secret-store.ts';
import type { CredentialSource } from '../snapshot/build-mesh-snapshot.ts';
import type { ConfigStore } from '../store/config-store.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import { AdsServer } from '../xds/ads-server.ts';
import { XdsAuthenticator } from '../xds/auth/xds-authenticator.ts';
import { resolveXdsAuthMode, type XdsAuthMode } from '../xds/auth/xds-auth-mode.ts';
import { bindGrpc, shutdownGrpc } from './grpc-lifecycle.ts';
import { jsonLogger, type Logger } from './logger.ts';
import { parseListenAddress } from './parse-address.ts';
import { watchConfigEvents } from './watch-config-events.ts';

export const CONTROL_PLANE_VERSION = '0.1.0';

export interface ControlPlaneOptions {
  /** Where the sqlite store lives when no `store` is given. */
  readonly dataDir: string;
  /** Plaintext ADS; `127.0.0.1:15010` by default (loopback only: join tokens would cross the network in clear). */
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
  /**
   * TLS credential names for Gateway credentialName, instead of the local secret store's (whose material is then
   * not sent): for tests and for stores that hand proxies their certificates another way.
   */
  readonly credentials?: CredentialSource;
  readonly maxBodyBytes?: number;
  readonly writeTimeoutMs?: number;
  /** Where the `istio` ConfigMap is read; `istio-system` by default. */
  readonly controlPlaneNamespace?: string;
  /**
   * Which proxies a config push translates: those the changes can affect (`affected`, the default, sound for
   * translateProxy) or all of them (`all`, for a `translate` whose inputs the dependency rules do not know).
   */
  readonly pushScope?: PushScope;
  /** Allow RequestAuthentication jwksUri on loopback addresses (local issuers in tests); off by default. */
  readonly allowLoopbackJwks?: boolean;
  /** Fetch, refresh and back-off settings of the JWKS resolver. */
  readonly jwks?: Omit<JwksResolverOptions, 'onChange' | 'logger' | 'allowLoopbackJwks'>;
  /**
   * The mesh CA: CreateCertificate on the xDS ports, join tokens, and the trust bundle sent as SDS `ROOTCA`. On by
   * default, with its files in `<dataDir>/ca/`; `false` runs without it.
   */
  readonly ca?: CaOptions | false;
  /**
   * ADS and the CA over TLS, with a certificate the CA issues (Istio's 15012); `false` for none. Unset, it is
   * `127.0.0.1:15012` when `xdsAddress` is unset too, and off otherwise.
   */
  readonly secureXdsAddress?: string | false;
  /**
   * Who may open an ADS stream, on both xDS ports: `required` (a join token as `authorization: Bearer`, whose
   * identity must be the node's NAMESPACE and SERVICE_ACCOUNT; the default with the CA), `loopback-exempt` (streams
   * from loopback may come without a token, but never get credential secrets) or `off` (the only mode, and the
   * default, with `ca: false`).
   */
  readonly xdsAuth?: XdsAuthMode;
  /**
   * The trace collector (Zipkin's HTTP API) on a port of its own, e.g. `127.0.0.1:9411`; it is always served on
   * the `httpAddress` port as well.
   */
  readonly zipkinAddress?: string;
  /** Spans the trace collector keeps; 20 000 by default. */
  readonly maxTraceSpans?: number;
  /**
   * Seconds between scrapes of every connected proxy's Istio metrics (its HEDDLE_METRICS_URL) for the dashboard;
   * 5 by default, 0 disables scraping.
   */
  readonly scrapeIntervalSeconds?: number;
  /** How much scraped metrics history the dashboard can look back on; 900 s (15 min) by default. */
  readonly metricsRetentionSeconds?: number;
  /** The built web dashboard, served under /dashboard/ (and / redirects there); absent: not served. */
  readonly dashboardDir?: string;
}

export interface ControlPlane {
  readonly xdsPort: number;
  readonly httpPort: number;
  readonly store: ConfigStore;
  readonly registry: ServiceRegistry;
  readonly instanceId: string;
  /** The TLS xDS/CA port, when it is served. */
  readonly secureXdsPort?: number;
  /** The certificate authority, unless `ca: false`. */
  readonly ca?: MeshCa;
  /** Spans received by the trace collector. */
  readonly traces: TraceStore;
  /** The collector's own port, when `zipkinAddress` is set. */
  readonly zipkinPort?: number;
  /** The local secret store: TLS credentials for Gateway `credentialName`, in `<dataDir>/secrets/`. */
  readonly secrets: SecretStore;
  /**
   * Resolves when no change is waiting to be pushed and every connected proxy had its first translation (tests,
   * and scripts that apply then check).
   */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const logger = options.logger ?? jsonLogger();
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
  const xdsAddress = parseListenAddress(options.xdsAddress ?? '127.0.0.1:15010', 'xdsAddress');
  const httpAddress = parseListenAddress(options.httpAddress ?? '127.0.0.1:15014', 'httpAddress');
  // A wrong combination is refused before anything starts.
  const xdsAuth = resolveXdsAuthMode(options.xdsAuth, options.ca !== false);
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

    const registry = new ServiceRegistry(store, { clock });
    await registry.start();
    cleanups.push(() => registry.close());

    const secureXdsAddress = secureXdsAddressOf({
      caEnabled: options.ca !== false,
      ...(options.secureXdsAddress !== undefined ? { secureXdsAddress: options.secureXdsAddress } : {}),
      ...(options.xdsAddress !== undefined ? { xdsAddress: options.xdsAddress } : {}),
    });
    const meshCa: MeshCa | undefined =
      options.ca === false
        ? undefined
        : await startMeshCa(options.ca ?? {}, {
            dataDir: options.dataDir,
            metrics: metricsRegistry,
            logger,
            trustDomain: (): string =>
              state.current()?.meshConfig.meshConfig.trustDomain ?? DEFAULT_TRUST_DOMAIN,
          });

    // Key sets fetched after a push asks for one more push; the queue exists by the time a fetch finishes.
    let onJwksChange = (): void => {};
    const jwksResolver = new JwksResolver({
      ...options.jwks,
      allowLoopbackJwks: options.allowLoopbackJwks ?? false,
      logger,
      onChange: () => onJwksChange(),
    });
    cleanups.push(() => jwksResolver.close());
    const secrets = await SecretStore.open({ dataDir: options.dataDir });
    for (const problem of secrets.problems) logger.error(problem);
    const state = new MeshState({
      store,
      services: () => registry.services(),
      jwks: (policies: Parameters<JwksResolver['track']>[0]) => jwksResolver.track(policies),
      ...(meshCa ? { trustBundle: () => meshCa.authority.trustBundlePem() } : {}),
      ...(options.credentials
        ? { credentials: options.credentials }
        : { credentials: () => secrets.names(), credentialMaterial: () => secrets.material() }),
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
      auth: new XdsAuthenticator({ mode: xdsAuth, authenticators: meshCa?.authenticators ?? [] }),
    });
    logger.info('xDS authentication', { mode: xdsAuth });
    const pushCycle = createPushCycle({
      state,
      streams: () => ads.streams(),
      translate,
      metrics,
      clock,
      logger,
      pushMetrics: createPushMetrics(metricsRegistry),
      ...(options.pushScope ? { scope: options.pushScope } : {}),
    });
    const queue = new PushQueue({
      clock,
      ...(options.debounce ? { debounce: options.debounce } : {}),
      flush: async (batch) => {
        await pushCycle(batch);
      },
      onError: (error) => {
        metrics.internalErrors.inc({ type: 'push' });
        logger.error('push failed', { error: error instanceof Error ? error.message : String(error) });
      },
    });
    cleanups.push(() => queue.close());
    onJwksChange = () => queue.trigger('jwks');
    // A key set fetched before the queue existed is in no snapshot yet.
    if (jwksResolver.current().size > 0) queue.trigger('jwks');
    const stopWatching = watchConfigEvents(store, registry, metrics, (reason) => queue.trigger(reason));
    cleanups.push(stopWatching);
    // A new root in the bundle (or a new signer) reaches every proxy as ROOTCA.
    if (meshCa) cleanups.push(meshCa.authority.onChange(() => queue.trigger('ca')));
    // A created, replaced (rotated) or deleted TLS secret reaches the gateways that name it.
    cleanups.push(secrets.onChange(() => queue.trigger('secrets')));

    const grpcServer = new Server({ 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 });
    ads.register(grpcServer);
    meshCa?.register(grpcServer);
    const xdsPort = await bindGrpc(grpcServer, xdsAddress);
    cleanups.push(() => shutdownGrpc(grpcServer, ads));
    const secureXds =
      meshCa && secureXdsAddress
        ? await bindSecureXds(grpcServer, secureXdsAddress, meshCa, logger)
        : undefined;
    if (secureXds) cleanups.push(() => secureXds.identity.close());

    let ready = false;
    const traces = new TraceStore(
      options.maxTraceSpans !== undefined ? { maxSpans: options.maxTraceSpans } : {},
    );
    const zipkinAddress = options.zipkinAddress
      ? parseListenAddress(options.zipkinAddress, 'zipkinAddress')
      : undefined;
    const zipkin = zipkinAddress
      ? await startZipkinServer(zipkinAddress.host, zipkinAddress.port, traces, options.maxBodyBytes)
      : undefined;
    if (zipkin) cleanups.push(() => zipkin.close());
    const meshMetrics = new MeshMetricsScraper({
      intervalSeconds: options.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS,
      retentionSeconds: options.metricsRetentionSeconds ?? DEFAULT_METRICS_RETENTION_SECONDS,
      proxies: () => ads.streams().map((stream) => stream.connection.node),
      clock,
      logger,
    });
    cleanups.push(() => meshMetrics.close());
    const apiContext: ApiContext = {
      traces,
      store,
      registry,
      streams: () => ads.streams(),
      metrics: metricsRegistry,
      instanceId,
      ready: () => ready,
      logger,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      workloads: new Map(),
      ...(meshCa ? { ca: meshCa } : {}),
      secrets,
      dashboard: {
        version: CONTROL_PLANE_VERSION,
        startedAt,
        storeKind: ownsStore ? 'sqlite' : storeKindOf(store),
        metrics: meshMetrics,
        now: () => clock.now(),
        ...(options.dashboardDir !== undefined ? { dir: options.dashboardDir } : {}),
      },
    };
    const http: RunningHttpServer = await startHttpServer(
      httpAddress.host,
      httpAddress.port,
      createApiHandler(apiContext),
    );
    cleanups.push(() => http.close());
    meshMetrics.start();
    ready = true;
    logger.info('control plane started', { instanceId, xdsPort, httpPort: http.port });

    let closing: Promise<void> | undefined;
    return {
      xdsPort,
      httpPort: http.port,
      store,
      registry,
      instanceId,
      ...(secureXds ? { secureXdsPort: secureXds.port } : {}),
      ...(meshCa ? { ca: meshCa } : {}),
      traces,
      ...(zipkin ? { zipkinPort: zipkin.port } : {}),
      secrets,
      // Pushes, and first translations of proxies that connected meanwhile.
      idle: async () => {
        await queue.idle();
        await ads.idle();
      },
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
