// The dashboard's read-only API under /apis/v1/dashboard/: overview, service graph, per-step series and the
// analyzers' findings, all computed on request from the store, the registry, proxy status and the scraped
// metrics history.
import type { DashboardFindings, MeshGraph } from '@heddle/api';
import type { ApiContext } from '../http/api-context.ts';
import { sendJson } from '../http/respond.ts';
import type { Route } from '../http/router.ts';
import { proxyStatus } from '../status/proxy-status.ts';
import { buildMeshGraph, type GraphProxy } from './build-mesh-graph.ts';
import { buildOverview } from './build-overview.ts';
import { buildTrafficSeries, type SeriesSubject } from './build-traffic-series.ts';
import { cachedConfigFindings } from './findings-cache.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { badRequest, optionalName, windowSeconds } from './dashboard-query.ts';
import { overallSync } from './proxy-sync.ts';

/** The graph's and overview's window when none is asked for. */
export const DEFAULT_WINDOW_SECONDS = 60;

export function dashboardRoutes(ctx: ApiContext, dashboard: DashboardContext): Route[] {
  const retentionSeconds = (): number => dashboard.metrics.history.retentionMs / 1000;
  const findings = cachedConfigFindings(ctx.store, ctx.registry);
  return [
    {
      method: 'GET',
      path: '/apis/v1/dashboard/overview',
      handle: async ({ res, url }) => {
        const window = windowSeconds(url, DEFAULT_WINDOW_SECONDS, retentionSeconds());
        const now = dashboard.now();
        const listing = await ctx.store.list();
        sendJson(
          res,
          200,
          buildOverview({
            generatedAt: new Date(now).toISOString(),
            controlPlane: {
              version: dashboard.version,
              id: ctx.instanceId,
              startedAt: new Date(dashboard.startedAt).toISOString(),
              store: dashboard.storeKind,
              caEnabled: ctx.ca !== undefined,
            },
            proxySyncs: ctx.streams().map((s) => overallSync(proxyStatus(s.connection, ctx.instanceId))),
            kinds: listing.items.map((item) => item.kind),
            services: ctx.registry.services().length,
            workloads: meshWorkloads(ctx).length,
            findings: await findings(),
            windowSeconds: window,
            traffic: dashboard.metrics.history.window(now, window * 1000),
            scrape: dashboard.metrics.status(),
          }),
        );
      },
    },
    {
      method: 'GET',
      path: '/apis/v1/dashboard/graph',
      handle: ({ res, url }) => {
        const window = windowSeconds(url, DEFAULT_WINDOW_SECONDS, retentionSeconds());
        const namespace = optionalName(url, 'namespace');
        const now = dashboard.now();
        const graph: MeshGraph = buildMeshGraph({
          generatedAt: new Date(now).toISOString(),
          windowSeconds: window,
          traffic: dashboard.metrics.history.window(now, window * 1000),
          services: ctx.registry.services(),
          workloads: meshWorkloads(ctx),
          proxies: connectedProxies(ctx),
          ...(namespace !== undefined ? { namespace } : {}),
        });
        sendJson(res, 200, graph);
      },
    },
    {
      method: 'GET',
      path: '/apis/v1/dashboard/series',
      handle: ({ res, url }) => {
        const window = windowSeconds(url, retentionSeconds(), retentionSeconds());
        const subject = seriesSubject(url);
        const now = dashboard.now();
        const rounds = dashboard.metrics.history.rounds(now - window * 1000, now);
        sendJson(res, 200, buildTrafficSeries(subject, rounds, dashboard.metrics.intervalSeconds));
      },
    },
    {
      method: 'GET',
      path: '/apis/v1/dashboard/findings',
      handle: async ({ res }) => {
        const body: DashboardFindings = {
          generatedAt: new Date(dashboard.now()).toISOString(),
          findings: await findings(),
        };
        sendJson(res, 200, body);
      },
    },
  ];
}

/** Workloads that run (registered) or are declared (WorkloadEntry); ServiceEntry endpoints are not. */
function meshWorkloads(ctx: ApiContext) {
  return ctx.registry.workloads().filter((workload) => workload.origin !== 'ServiceEntry endpoint');
}

function connectedProxies(ctx: ApiContext): GraphProxy[] {
  return ctx.streams().map((stream) => {
    const { node } = stream.connection;
    return {
      name: node.workloadName,
      namespace: node.namespace,
      labels: node.labels,
      role: node.role,
      synced: overallSync(proxyStatus(stream.connection, ctx.instanceId)) === 'SYNCED',
    };
  });
}

function seriesSubject(url: URL): SeriesSubject {
  const namespace = optionalName(url, 'namespace');
  const service = optionalName(url, 'service');
  const workload = optionalName(url, 'workload');
  if (namespace === undefined) throw badRequest('the namespace query parameter is required');
  if ((service === undefined) === (workload === undefined))
    throw badRequest(
      'name either a service or a workload (one of the service and workload query parameters)',
    );
  return service !== undefined ? { namespace, service } : { namespace, workload: workload as string };
}
