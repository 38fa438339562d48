// The typed client of the control plane's HTTP API: one function per route the dashboard reads.
import type { DashboardFindings, DashboardOverview, MeshGraph, TrafficSeries } from '@heddle/api';
import type { ProxySyncStatus, RegistryService, ResourceList, ZipkinSpan } from './control-plane-types.ts';
import { getJson, type RequestOptions } from './get-json.ts';

export interface GraphQuery {
  readonly windowSeconds: number;
  /** Absent or '' for every namespace. */
  readonly namespace?: string;
}

/** A service (by host name) or a workload (by name), in one namespace. */
export type SeriesTarget =
  | { readonly namespace: string; readonly service: string }
  | { readonly namespace: string; readonly workload: string };

/** `windowSeconds` sets the traffic figures' window; without it the control plane uses its default. */
export function fetchOverview(windowSeconds?: number, options?: RequestOptions): Promise<DashboardOverview> {
  const query = windowSeconds ? `?${new URLSearchParams({ window: String(windowSeconds) }).toString()}` : '';
  return getJson(`/apis/v1/dashboard/overview${query}`, options);
}

export function fetchGraph(query: GraphQuery, options?: RequestOptions): Promise<MeshGraph> {
  const params = new URLSearchParams({ window: String(query.windowSeconds) });
  if (query.namespace) params.set('namespace', query.namespace);
  return getJson(`/apis/v1/dashboard/graph?${params.toString()}`, options);
}

export function fetchSeries(
  target: SeriesTarget,
  windowSeconds: number,
  options?: RequestOptions,
): Promise<TrafficSeries> {
  const params = new URLSearchParams({ namespace: target.namespace });
  if ('service' in target) params.set('service', target.service);
  else params.set('workload', target.workload);
  params.set('window', String(windowSeconds));
  return getJson(`/apis/v1/dashboard/series?${params.toString()}`, options);
}

export function fetchFindings(options?: RequestOptions): Promise<DashboardFindings> {
  return getJson('/apis/v1/dashboard/findings', options);
}

/** GET /debug/syncz: every connected proxy and its per-type sync state. */
export function fetchProxyStatus(options?: RequestOptions): Promise<ProxySyncStatus[]> {
  return getJson('/debug/syncz', options);
}

/** GET /apis/v1/resources: the stored Istio config, optionally of one namespace. */
export function fetchResources(namespace?: string, options?: RequestOptions): Promise<ResourceList> {
  const query = namespace ? `?${new URLSearchParams({ namespace }).toString()}` : '';
  return getJson(`/apis/v1/resources${query}`, options);
}

/** GET /debug/registryz: services and their endpoints as the control plane sees them. */
export function fetchRegistry(options?: RequestOptions): Promise<RegistryService[]> {
  return getJson('/debug/registryz', options);
}

/** GET /api/v2/traces (Zipkin): the newest traces first, each an array of spans. */
export function fetchTraces(limit: number, options?: RequestOptions): Promise<ZipkinSpan[][]> {
  return getJson(`/api/v2/traces?${new URLSearchParams({ limit: String(limit) }).toString()}`, options);
}
