// Applies the EnvoyFilters that select a proxy to its generated resources, last step of the translation:
// routes first (RDS, and inbound routes inline in listeners), then listeners, then clusters.
import { clone } from '@bufbuild/protobuf';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import {
  RouteConfigurationSchema,
  type RouteConfiguration,
} from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { compilePatches } from './compile-patches.ts';
import type { Patch, PatchSet } from './patch-model.ts';
import { patchClusters } from './patch-clusters.ts';
import { patchListeners } from './patch-listeners.ts';
import { patchRouteConfiguration } from './patch-routes.ts';
import { envoyFiltersFor } from './select-envoy-filters.ts';
import { ENVOY_FILTER_WARNINGS } from './warning-codes.ts';

export interface PatchableResources {
  readonly listeners: Listener[];
  readonly routes: RouteConfiguration[];
  readonly clusters: Cluster[];
  readonly endpoints: ClusterLoadAssignment[];
}

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** The resources with every applicable patch applied; the input is returned as is when none applies. */
export function applyEnvoyFilters(
  ctx: TranslationContext,
  resources: PatchableResources,
): PatchableResources {
  const { snapshot, rootNamespace } = ctx.index;
  if (snapshot.envoyFilters.length === 0) return resources;
  const filters = envoyFiltersFor(snapshot.envoyFilters, ctx.node, rootNamespace);
  if (filters.length === 0) return resources;
  const { patches, count } = compilePatches(filters, ctx.node, (w) => ctx.warn(w));
  if (count === 0) return resources;
  const skip = (patch: Patch, reason: string) =>
    ctx.warn({
      code: ENVOY_FILTER_WARNINGS.INVALID_VALUE,
      resource: patch.resource,
      message: `configPatches[${patch.index}] is skipped: ${reason}`,
    });
  const routes = patchRoutes(resources.routes, patches, ctx);
  const listeners = patchListeners(resources.listeners, patches, ctx.node, skip).sort(byName);
  const clusters = patchClusters(
    resources.clusters,
    patches,
    { node: ctx.node, ownServices: () => ownServices(ctx) },
    skip,
  ).sort(byName);
  // Endpoints of a removed cluster would be orphans no proxy asks for.
  const remaining = new Set(clusters.map((c) => c.name));
  const removed = new Set(resources.clusters.map((c) => c.name).filter((name) => !remaining.has(name)));
  const endpoints = resources.endpoints.filter((e) => !removed.has(e.clusterName));
  return { listeners, routes, clusters, endpoints };
}

function patchRoutes(
  routes: readonly RouteConfiguration[],
  patches: PatchSet,
  ctx: TranslationContext,
): RouteConfiguration[] {
  if (patches.ROUTE_CONFIGURATION.length + patches.VIRTUAL_HOST.length + patches.HTTP_ROUTE.length === 0)
    return [...routes];
  const context = ctx.node.role === 'router' ? 'GATEWAY' : 'SIDECAR_OUTBOUND';
  return routes.map((original) => {
    const config = clone(RouteConfigurationSchema, original);
    patchRouteConfiguration(config, context, patches);
    return config;
  });
}

/** Host names of the services whose endpoints are this proxy's workload. */
function ownServices(ctx: TranslationContext): string[] {
  const addresses = new Set(ctx.node.ipAddresses);
  return ctx.index.snapshot.services
    .filter(
      (s) =>
        s.namespace === ctx.node.namespace &&
        s.endpoints.some((e) => addresses.has(e.address) || e.workloadName === ctx.node.workloadName),
    )
    .map((s) => s.hostname);
}
