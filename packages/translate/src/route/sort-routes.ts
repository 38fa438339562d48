// Moves catch-all routes behind the others, so that merging several VirtualServices into one gateway virtual
// host does not let one VirtualService's `/` shadow another's more specific paths (Istio does the same).
import type { Route } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';

export function isCatchAllRoute(route: Route): boolean {
  const match = route.match;
  if (!match) return false;
  const path = match.pathSpecifier;
  const all =
    ((path.case === 'prefix' || path.case === 'pathSeparatedPrefix') && path.value === '/') ||
    (path.case === 'safeRegex' && ['*', '.*'].includes(path.value.regex));
  return (
    all &&
    match.headers.length === 0 &&
    match.queryParameters.length === 0 &&
    match.dynamicMetadata.length === 0
  );
}

/** Stable: routes keep their order within each group. */
export function sortCatchAllLast(routes: readonly Route[]): Route[] {
  return [...routes.filter((r) => !isCatchAllRoute(r)), ...routes.filter(isCatchAllRoute)];
}
