// Runs a proxy from its parts: the xDS client feeding the parts' handlers, the admin and health servers, and
// the lifecycle — PRE_INITIALIZING until the first full config, LIVE, then DRAINING on SIGTERM or
// /quitquitquit: readiness fails at once, listeners drain, and the proxy closes when idle or at the deadline.
import type { AdminEndpoint } from '../admin/admin-endpoint.ts';
import { AdminServer } from '../admin/admin-server.ts';
import type { ClusterInfo, DrainOptions, ListenerInfo, ServerControl } from '../admin/admin-sources.ts';
import { clustersEndpoint } from '../admin/clusters-endpoint.ts';
import { configDumpEndpoint } from '../admin/config-dump.ts';
import { healthEndpoints } from '../admin/health-endpoints.ts';
import { listenersEndpoint } from '../admin/listeners-endpoint.ts';
import { LogRegistry } from '../admin/logger.ts';
import { loggingEndpoint } from '../admin/logging-endpoint.ts';
import { startMetricsMerge, type MetricsMergeServer } from '../admin/metrics-merge-server.ts';
import { serverEndpoints } from '../admin/server-endpoints.ts';
import { statsEndpoints } from '../admin/stats-endpoints.ts';
import { registerServerStats, type ServerStateName } from '../stats/server-stats.ts';
import { StatsStore, type StatsSnapshot } from '../stats/stats-store.ts';
import { AdsSecrets } from '../security/ads-secrets.ts';
import { MeshSecrets } from '../security/mesh-secrets.ts';
import type { RotationPolicy } from '../security/rotation-schedule.ts';
import { certsEndpoint, secretsConfigDump, type SecretsSource } from '../security/secrets-admin.ts';
import { startWorkloadAgent } from '../security/workload-agent.ts';
import type { SecretProvider } from '../upstream/secret-provider.ts';
import { AdsClient } from '../xds/ads-client.ts';
import { adsTokenSource } from '../xds/ads-token.ts';
import type { Bootstrap } from '../xds/bootstrap.ts';
import type { Timers } from '../xds/timers.ts';
import { buildXdsNode } from '../xds/xds-node.ts';
import { ConfigState } from './config-state.ts';
import type { ResourceHandler } from './resource-handler.ts';

/** The data-plane subsystems the runtime drives, built once the shared services exist. */
export interface ProxyParts {
  /** The CDS, EDS, LDS and RDS handlers. */
  readonly handlers: readonly ResourceHandler[];
  describeClusters(): readonly ClusterInfo[];
  describeListeners(): readonly ListenerInfo[];
  /** Stops accepting and drains connections (HTTP/1.1 Connection: close, HTTP/2 GOAWAY); resolves when idle. */
  drain(): Promise<void>;
  close(): Promise<void>;
  /** Resolves once the listeners of the config committed so far are bound. */
  whenBound?(): Promise<void>;
  /** False while no process serves the listeners (every worker down): readiness fails. */
  serving?(): boolean;
  /** Admin endpoints that take the place of the runtime's own for the same path (stats aggregated over workers). */
  readonly adminEndpoints?: readonly AdminEndpoint[];
  /** Every process's stats, for the merged Prometheus port; the runtime's own store when absent. */
  statsSnapshot?(): Promise<StatsSnapshot>;
}

export interface PartsContext {
  readonly stats: StatsStore;
  readonly secrets: SecretProvider;
  readonly logs: LogRegistry;
  readonly drainTimeoutMs: number;
}

export interface ProxyRuntimeOptions {
  readonly logs?: LogRegistry;
  readonly stats?: StatsStore;
  /** Overrides the bootstrap's drain timeout. */
  readonly drainTimeoutMs?: number;
  /** Overrides the bootstrap's admin and health ports (0 picks free ones). */
  readonly adminPort?: number;
  readonly healthPort?: number;
  /** Overrides the bootstrap's merged-metrics port (0 picks a free one). */
  readonly metricsMergePort?: number;
  readonly random?: () => number;
  readonly timers?: Timers;
  readonly now?: () => number;
  readonly warmingTimeoutMs?: number;
  readonly backoff?: { readonly baseMs?: number; readonly capMs?: number };
  /** Overrides when the certificate agent renews and how it backs off (tests use short lifetimes). */
  readonly certificateRotation?: Partial<RotationPolicy>;
  /** Runs the parts another way (the worker processes of `concurrency` > 1); this runtime when absent. */
  readonly runtime?: ProxyRuntime;
}

export type ProxyRuntime = (
  bootstrap: Bootstrap,
  buildParts: (context: PartsContext) => ProxyParts,
  options: ProxyRuntimeOptions,
) => Promise<Proxy>;

export interface Proxy {
  /** Resolves once the first full config is applied and its listeners are bound. */
  readonly ready: Promise<void>;
  readonly adminPort: number;
  readonly healthPort: number;
  /** The merged Prometheus scrape port, when the bootstrap has `metricsMerge`. */
  readonly metricsMergePort?: number;
  readonly stats: StatsStore;
  readonly config: ConfigState;
  readonly logs: LogRegistry;
  state(): ServerStateName;
  /** Fails readiness and drains the listeners; resolves when idle or at the drain deadline. */
  drain(): Promise<void>;
  /** Stops the xDS client, the listeners and the admin and health servers now. */
  close(): Promise<void>;
  /** drain() then close(): what SIGTERM and /quitquitquit do. */
  shutdown(): Promise<void>;
  /** Resolves once the proxy has closed, however that happened. */
  readonly closed: Promise<void>;
}

export async function runProxy(
  bootstrap: Bootstrap,
  buildParts: (context: PartsContext) => ProxyParts,
  options: ProxyRuntimeOptions = {},
): Promise<Proxy> {
  if (options.runtime) {
    const { runtime, ...rest } = options;
    return runtime(bootstrap, buildParts, rest);
  }
  const logs = options.logs ?? new LogRegistry();
  const logger = logs.logger('main');
  const stats = options.stats ?? new StatsStore();
  const now = options.now ?? (() => Date.now());
  const drainTimeoutMs = options.drainTimeoutMs ?? bootstrap.drainTimeoutMs;
  const config = new ConfigState();
  const node = buildXdsNode(bootstrap.node);
  const startedAt = now();
  let live = false;
  let draining = false;
  let healthCheckFailed = false;
  let drainPromise: Promise<void> | undefined;
  let closePromise: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const state = (): ServerStateName => (draining ? 'DRAINING' : live ? 'LIVE' : 'PRE_INITIALIZING');

  registerServerStats(stats, { startedAt, concurrency: bootstrap.concurrency, state, now });
  // Secrets: the agent's workload certificate (when the bootstrap names a CA) and SDS over the ADS stream.
  const adsSecrets = new AdsSecrets();
  const workload = bootstrap.ca
    ? startWorkloadAgent(
        bootstrap.ca,
        bootstrap.node.metadata,
        logs.logger('secret'),
        options.certificateRotation,
      )
    : undefined;
  const secrets = new MeshSecrets(adsSecrets, workload?.agent);
  const secretsSource: SecretsSource = { state: config, ads: adsSecrets, agent: workload?.agent, now };
  const parts = buildParts({ stats, secrets, logs, drainTimeoutMs });
  const adsToken = adsTokenSource(bootstrap.ca, logs.logger('config'));
  const ads = new AdsClient({
    node,
    ...(adsToken ? { token: adsToken } : {}),
    addresses: bootstrap.controlPlane.addresses,
    handlers: [...parts.handlers, adsSecrets.handler],
    localSecrets: secrets.localNames,
    state: config,
    stats,
    logger: logs.logger('config'),
    ...(options.random ? { random: options.random } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.warmingTimeoutMs !== undefined ? { warmingTimeoutMs: options.warmingTimeoutMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });

  const drain = (): Promise<void> => {
    drainPromise ??= (async () => {
      draining = true;
      logger.info(`draining listeners (deadline ${drainTimeoutMs} ms)`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)));
      const drained = parts.drain().catch((error: unknown) => logger.error(`drain failed: ${String(error)}`));
      await Promise.race([drained, deadline]);
      clearTimeout(timer);
    })();
    return drainPromise;
  };
  const servers: AdminServer[] = [];
  let metricsMerge: MetricsMergeServer | undefined;
  const close = (): Promise<void> => {
    closePromise ??= (async () => {
      ads.close();
      workload?.close();
      await parts.close().catch((error: unknown) => logger.error(`closing failed: ${String(error)}`));
      await Promise.all(servers.map((server) => server.close()));
      await metricsMerge?.close();
      logger.info('proxy closed');
      resolveClosed();
    })();
    return closePromise;
  };
  const shutdown = async (): Promise<void> => {
    await drain();
    await close();
  };
  const control: ServerControl = {
    node,
    startedAt,
    concurrency: bootstrap.concurrency,
    drainTimeoutMs,
    now,
    state,
    setHealthCheckFailed: (failed) => (healthCheckFailed = failed),
    drainListeners: (_options: DrainOptions) => void drain(),
    quit: () => void shutdown(),
  };

  try {
    servers.push(
      await AdminServer.listen({
        address: bootstrap.admin.address,
        port: options.adminPort ?? bootstrap.admin.port,
        logger: logs.logger('admin'),
        helpPage: true,
        endpoints: [
          configDumpEndpoint({
            bootstrap,
            node,
            loadedAt: new Date(startedAt),
            state: config,
            secrets: () => secretsConfigDump(secretsSource),
          }),
          certsEndpoint(secretsSource),
          clustersEndpoint(() => parts.describeClusters()),
          listenersEndpoint(() => parts.describeListeners()),
          ...statsEndpoints(stats),
          ...serverEndpoints(control),
          loggingEndpoint(logs),
          ...(parts.adminEndpoints ?? []),
        ],
      }),
    );
    servers.push(
      await AdminServer.listen({
        address: bootstrap.health.address,
        port: options.healthPort ?? bootstrap.health.port,
        logger: logs.logger('admin'),
        endpoints: healthEndpoints(
          () => live && !draining && !healthCheckFailed && (parts.serving?.() ?? true),
          () => (healthCheckFailed ? 'health check failed' : `${state()}: not ready`),
        ),
      }),
    );
    if (bootstrap.metricsMerge)
      metricsMerge = await startMetricsMerge(bootstrap.metricsMerge, {
        stats,
        ...(parts.statsSnapshot ? { snapshot: parts.statsSnapshot.bind(parts) } : {}),
        logger: logs.logger('admin'),
        ...(options.metricsMergePort !== undefined ? { port: options.metricsMergePort } : {}),
      });
  } catch (error) {
    await close();
    throw new Error(`cannot open the admin or health port: ${(error as Error).message}`, { cause: error });
  }
  const [admin, health] = servers as [AdminServer, AdminServer];
  logger.info(`admin on ${admin.address}:${admin.port}, health on ${health.address}:${health.port}`);
  if (metricsMerge) logger.info(`merged Prometheus stats on ${metricsMerge.address}:${metricsMerge.port}`);

  ads.start();
  const ready = ads.ready.then(async () => {
    await parts.whenBound?.();
    // A proxy with a CA configured is not ready without its identity (mTLS would refuse every connection).
    await workload?.agent.firstCertificate;
    live = true;
    logger.info('proxy is LIVE');
  });
  return {
    ready,
    adminPort: admin.port,
    healthPort: health.port,
    ...(metricsMerge ? { metricsMergePort: metricsMerge.port } : {}),
    stats,
    config,
    logs,
    state,
    drain,
    close,
    shutdown,
    closed,
  };
}
