// The admin endpoints that read the workers: `/stats` and `/stats/prometheus` (the main process's stats
// plus every worker's, asked for at scrape time), `/clusters` and `/listeners`. Each renders with the same
// code as a single process; only its source is gathered first. A worker that does not answer in time is
// left out of that answer.
import type { AdminEndpoint, AdminRequest } from '../admin/admin-endpoint.ts';
import { clustersEndpoint } from '../admin/clusters-endpoint.ts';
import { listenersEndpoint } from '../admin/listeners-endpoint.ts';
import { statsEndpoints } from '../admin/stats-endpoints.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import { aggregateClusters, aggregateListeners } from './aggregate-admin.ts';
import { aggregateStats } from './aggregate-stats.ts';
import type { WorkerSupervisor } from './worker-supervisor.ts';

export async function aggregatedStats(
  own: StatsStore,
  supervisor: WorkerSupervisor,
  timeoutMs: number,
): Promise<StatsStore> {
  const workers = await supervisor.collectStats(timeoutMs);
  return aggregateStats(own.snapshot(), workers);
}

export function aggregatedEndpoints(
  own: StatsStore,
  supervisor: WorkerSupervisor,
  timeoutMs: number,
): AdminEndpoint[] {
  const stats = statsEndpoints(own).map((endpoint): AdminEndpoint => ({
    ...endpoint,
    handle: async (request) => {
      const merged = await aggregatedStats(own, supervisor, timeoutMs);
      return renderWith(statsEndpoints(merged), endpoint.path, request);
    },
  }));
  const clusters = clustersEndpoint(() => []);
  const listeners = listenersEndpoint(() => []);
  return [
    ...stats,
    {
      ...clusters,
      handle: async (request) => {
        const described = await supervisor.describe(timeoutMs);
        return clustersEndpoint(() => aggregateClusters(described)).handle(request);
      },
    },
    {
      ...listeners,
      handle: async (request) => {
        const described = await supervisor.describe(timeoutMs);
        return listenersEndpoint(() => aggregateListeners(described)).handle(request);
      },
    },
  ];
}

async function renderWith(endpoints: readonly AdminEndpoint[], path: string, request: AdminRequest) {
  const endpoint = endpoints.find((candidate) => candidate.path === path);
  if (!endpoint) throw new Error(`no ${path} endpoint`);
  return endpoint.handle(request);
}
