// NETWORK_FILTER patches on one filter chain, then, inside each HTTP connection manager, the HTTP_FILTER
// patches and (inbound only) the route patches of its inline route configuration.
import { clone } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { NETWORK_FILTERS, unpackAnyAs } from '@heddle/xds';
import {
  FilterSchema,
  type Filter,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { HttpConnectionManagerSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import {
  filterChainMatches,
  listenerMatches,
  networkFilterMatches,
  networkFilterName,
} from './listener-match.ts';
import { insertIntoList, mergeOrRemove } from './list-patch.ts';
import { mergeMessage } from './merge-message.ts';
import { contextMatches, type ObjectContext, type Patch, type PatchSet } from './patch-model.ts';
import { patchHttpFilters } from './patch-http-filters.ts';
import { patchRouteConfiguration } from './patch-routes.ts';

export interface ChainScope {
  readonly patches: PatchSet;
  readonly context: ObjectContext;
  readonly listener: Listener;
}

function selects(scope: ChainScope, chain: FilterChain) {
  return (patch: Patch): boolean =>
    contextMatches(patch, scope.context) &&
    listenerMatches(patch, scope.listener) &&
    filterChainMatches(patch, scope.listener, chain);
}

export function patchNetworkFilters(scope: ChainScope, chain: FilterChain): void {
  const applies = selects(scope, chain);
  const patches = scope.patches.NETWORK_FILTER.filter(applies);
  const filters = [...chain.filters];
  for (const patch of patches) {
    const value = patch.value;
    if (!value) continue;
    const name = networkFilterName(patch);
    insertIntoList(filters, {
      operation: patch.operation,
      value: () => clone(FilterSchema, value),
      anchor: name === undefined ? undefined : (f) => f.name === name,
    });
  }
  chain.filters = mergeOrRemove(
    filters,
    patches.map((patch) => ({
      operation: patch.operation,
      matches: (filter: Filter) => networkFilterMatches(patch, filter),
      merge: (filter: Filter) => {
        if (patch.value) mergeMessage(FilterSchema, filter, clone(FilterSchema, patch.value));
      },
    })),
  );
  const httpPatches = scope.patches.HTTP_FILTER.filter(applies);
  for (const filter of chain.filters) {
    if (filter.name !== NETWORK_FILTERS.HTTP_CONNECTION_MANAGER) continue;
    patchConnectionManager(
      scope,
      filter,
      httpPatches.filter((p) => networkFilterMatches(p, filter)),
    );
  }
}

function patchConnectionManager(
  scope: ChainScope,
  filter: Filter,
  httpPatches: readonly Patch<'HTTP_FILTER'>[],
): void {
  const inboundRoutes = scope.context === 'SIDECAR_INBOUND' && hasRoutePatches(scope.patches);
  if (httpPatches.length === 0 && !inboundRoutes) return;
  if (filter.configType.case !== 'typedConfig') return;
  const hcm = unpackAnyAs(filter.configType.value, HttpConnectionManagerSchema);
  if (!hcm) return;
  if (inboundRoutes && hcm.routeSpecifier.case === 'routeConfig') {
    patchRouteConfiguration(hcm.routeSpecifier.value, 'SIDECAR_INBOUND', scope.patches);
  }
  if (httpPatches.length > 0) patchHttpFilters(hcm, httpPatches);
  filter.configType = { case: 'typedConfig', value: anyPack(HttpConnectionManagerSchema, hcm) };
}

function hasRoutePatches(patches: PatchSet): boolean {
  return (
    patches.ROUTE_CONFIGURATION.length > 0 || patches.VIRTUAL_HOST.length > 0 || patches.HTTP_ROUTE.length > 0
  );
}
