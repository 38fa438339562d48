// ROUTE_CONFIGURATION, VIRTUAL_HOST and HTTP_ROUTE patches on one route configuration, in Istio's order:
// the configuration merges, then each virtual host is removed or merged and its routes patched, then new
// virtual hosts are added.
import { clone } from '@bufbuild/protobuf';
import {
  RouteSchema,
  VirtualHostSchema,
  type Route,
  type VirtualHost,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import {
  RouteConfigurationSchema,
  type RouteConfiguration,
} from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { insertIntoList, mergeOrRemove } from './list-patch.ts';
import { mergeMessage } from './merge-message.ts';
import { contextMatches, type ObjectContext, type Patch, type PatchSet } from './patch-model.ts';
import { namesRoute, routeConfigurationMatches, routeMatches, virtualHostMatches } from './route-match.ts';

export function patchRouteConfiguration(
  config: RouteConfiguration,
  context: ObjectContext,
  patches: PatchSet,
): void {
  const applies = (patch: Patch) =>
    contextMatches(patch, context) && routeConfigurationMatches(patch, context, config);
  for (const patch of patches.ROUTE_CONFIGURATION) {
    if (patch.operation === 'MERGE' && patch.value && applies(patch))
      mergeMessage(RouteConfigurationSchema, config, clone(RouteConfigurationSchema, patch.value));
  }
  const vhostPatches = patches.VIRTUAL_HOST.filter(applies);
  const routePatches = patches.HTTP_ROUTE.filter(applies);
  const vhosts = mergeOrRemove(
    config.virtualHosts,
    vhostPatches.map((patch) => ({
      operation: patch.operation,
      matches: (vhost: VirtualHost) => virtualHostMatches(patch, vhost),
      merge: (vhost: VirtualHost) => {
        if (patch.value) mergeMessage(VirtualHostSchema, vhost, clone(VirtualHostSchema, patch.value));
      },
    })),
  );
  for (const vhost of vhosts) {
    patchRoutes(
      vhost,
      routePatches.filter((p) => virtualHostMatches(p, vhost)),
    );
  }
  for (const patch of vhostPatches) {
    if (patch.operation === 'ADD' && patch.value) vhosts.push(clone(VirtualHostSchema, patch.value));
  }
  config.virtualHosts = vhosts;
}

function patchRoutes(vhost: VirtualHost, patches: readonly Patch<'HTTP_ROUTE'>[]): void {
  if (patches.length === 0) return;
  const routes = mergeOrRemove(
    vhost.routes,
    patches.map((patch) => ({
      operation: patch.operation,
      matches: (route: Route) => routeMatches(patch, route),
      merge: (route: Route) => {
        if (patch.value) mergeMessage(RouteSchema, route, clone(RouteSchema, patch.value));
      },
    })),
  );
  for (const patch of patches) {
    const value = patch.value;
    if (!value || patch.operation === 'MERGE') continue;
    // Without a named route, INSERT_BEFORE/AFTER anchor on the first route (Istio's reading).
    insertIntoList(routes, {
      operation: patch.operation,
      value: () => clone(RouteSchema, value),
      anchor: namesRoute(patch) ? (route) => routeMatches(patch, route) : () => true,
    });
  }
  vhost.routes = routes;
}
