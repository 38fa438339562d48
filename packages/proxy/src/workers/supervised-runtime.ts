// The runtime of a proxy with `concurrency` > 1. The main process keeps the xDS client, the admin and health
// servers, the certificate agent and SDS; N worker processes serve the listeners (each binds them with
// SO_REUSEPORT, so the kernel spreads connections over them).
//
// All or nothing, without rollback: no worker commits an update before every worker could prepare it.
// - Clusters and listeners (the types the xDS client acquires before it ACKs) are staged in every worker —
//   prepared, and for listeners their sockets bound — and the xDS client ACKs only once all of them could,
//   NACKing with the first worker's error otherwise; only then are they committed everywhere.
// - Endpoints and routes are ACKed at once by the xDS client, so they are checked here first, by the same
//   prepare code the workers run (the parts of a single process, built here but never committed, so they bind
//   and dial nothing): a rejected one never reaches a worker, an accepted one is applied by every worker within
//   the IPC latency. Clusters get the same check before they are staged, so a bad one costs no round trip.
// A worker that cannot put in force what was checked or staged (a fault in that process) is restarted from the
// config in force.
import { toBinary, type Message } from '@bufbuild/protobuf';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  TYPE_URL_PREFIX,
  xdsRegistry,
  type Cluster,
  type Listener,
} from '@heddle/xds';
import type { LogLevel } from '../admin/logger.ts';
import { runProxy, type PartsContext, type ProxyParts, type ProxyRuntime } from '../config/proxy-runtime.ts';
import { isPrepareError, type PrepareResult, type ResourceHandler } from '../config/resource-handler.ts';
import { StatsStore } from '../stats/stats-store.ts';
import type { Bootstrap } from '../xds/bootstrap.ts';
import { aggregatedEndpoints, aggregatedStats } from './aggregated-endpoints.ts';
import { secretsSnapshot } from './secrets-snapshot.ts';
import type { WireResource } from './worker-protocol.ts';
import { WorkerSupervisor } from './worker-supervisor.ts';

const STATS_TIMEOUT_MS = 2000;

export interface SupervisedRuntimeOptions {
  /** How many worker processes (already resolved: 0 meant one per CPU). */
  readonly concurrency: number;
  readonly logLevel: LogLevel;
}

export function supervisedRuntime(options: SupervisedRuntimeOptions): ProxyRuntime {
  return (bootstrap, buildParts, runtimeOptions) =>
    runProxy(
      { ...bootstrap, concurrency: options.concurrency },
      (context) => supervisedParts(bootstrap, buildParts, context, options),
      runtimeOptions,
    );
}

function supervisedParts(
  bootstrap: Bootstrap,
  buildParts: (context: PartsContext) => ProxyParts,
  context: PartsContext,
  options: SupervisedRuntimeOptions,
): ProxyParts {
  // The checker's own stats stay out of the proxy's: the workers' stats are the ones that count.
  const checker = buildParts({ ...context, stats: new StatsStore() });
  const supervisor = new WorkerSupervisor({
    count: options.concurrency,
    init: { bootstrap, logLevel: options.logLevel, drainTimeoutMs: context.drainTimeoutMs },
    stats: context.stats,
    logger: context.logs.logger('main'),
  });
  const stopForwardingLevels = context.logs.onChange((levels) => supervisor.setLogLevels(levels));
  let clusters: Cluster[] = [];
  let listeners: Listener[] = [];
  const syncSecrets = (): void =>
    supervisor.setSecrets(secretsSnapshot(context.secrets, clusters, listeners));
  const unsubscribe = context.secrets.onChange(syncSecrets);

  const check = (typeUrl: string, resources: ReadonlyMap<string, Message>): PrepareResult | undefined => {
    const handler = checker.handlers.find((candidate) => candidate.typeUrl === typeUrl);
    return handler?.prepare(resources);
  };
  const inForce = (typeUrl: string, resources: ReadonlyMap<string, Message>): void => {
    if (typeUrl === CLUSTER_TYPE_URL) clusters = [...resources.values()] as Cluster[];
    if (typeUrl === LISTENER_TYPE_URL) listeners = [...resources.values()] as Listener[];
    // Secrets first: a new listener's TLS context finds its certificate when it is built.
    syncSecrets();
  };
  let stages = 0;
  const staged = (typeUrl: string, precheck: boolean): ResourceHandler => ({
    typeUrl,
    prepare: (resources) => {
      const checked = precheck ? check(typeUrl, resources) : undefined;
      if (checked && isPrepareError(checked)) return checked;
      const wire = toWire(resources);
      const stageId = ++stages;
      return {
        acquire: () => supervisor.stage(stageId, typeUrl, wire),
        commit: () => {
          inForce(typeUrl, resources);
          supervisor.commit(stageId, typeUrl, wire);
        },
      };
    },
  });
  const checkedHere = (typeUrl: string): ResourceHandler => ({
    typeUrl,
    prepare: (resources) => {
      const checked = check(typeUrl, resources);
      if (!checked || isPrepareError(checked)) return checked ?? { error: `no handler for ${typeUrl}` };
      const wire = toWire(resources);
      return {
        commit: () => {
          inForce(typeUrl, resources);
          supervisor.apply(typeUrl, wire);
        },
      };
    },
  });
  // The listener check is the workers' own: it binds sockets, which only they may.
  const handlers = [
    staged(CLUSTER_TYPE_URL, true),
    checkedHere(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL),
    staged(LISTENER_TYPE_URL, false),
    checkedHere(ROUTE_CONFIGURATION_TYPE_URL),
  ].filter((handler) => checker.handlers.some((candidate) => candidate.typeUrl === handler.typeUrl));

  syncSecrets();
  supervisor.start();
  const statsSnapshot = () => aggregatedStats(context.stats, supervisor, STATS_TIMEOUT_MS);
  return {
    handlers,
    describeClusters: () => [],
    describeListeners: () => [],
    drain: () => supervisor.drain(),
    close: async () => {
      unsubscribe();
      stopForwardingLevels();
      await supervisor.close();
      await checker.close();
    },
    whenBound: () => supervisor.whenApplied(),
    serving: () => supervisor.serving(),
    adminEndpoints: aggregatedEndpoints(context.stats, supervisor, STATS_TIMEOUT_MS),
    statsSnapshot: async () => (await statsSnapshot()).snapshot(),
  };
}

/** Each resource as the protobuf binary of its Any. */
function toWire(resources: ReadonlyMap<string, Message>): WireResource[] {
  return [...resources.values()].map((message) => {
    const schema = xdsRegistry.getMessage(message.$typeName);
    if (!schema) throw new Error(`no schema for ${message.$typeName}`);
    return { typeUrl: `${TYPE_URL_PREFIX}${message.$typeName}`, value: toBinary(schema, message) };
  });
}
