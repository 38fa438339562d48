// Istio HTTPMatchRequest → Envoy RouteMatch, and whether a match applies to this proxy and listener port.
import { create } from '@bufbuild/protobuf';
import type { HTTPMatchRequest, StringMatch } from '@heddle/api';
import {
  RouteMatchSchema,
  type HeaderMatcher,
  type RouteMatch,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { MetadataMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/metadata_pb.ts';
import { RegexMatcherSchema } from '@heddle/xds/gen/envoy/type/matcher/v3/regex_pb.ts';
import { gatewayKey } from '../snapshot/mesh-index.ts';
import { labelsMatch } from '../snapshot/host-names.ts';
import { claimMatcher, claimPath, isMetadataMatchName } from './claim-match.ts';
import type { RouteScope } from './route-scope.ts';
import { headerMatcher, queryParameterMatcher } from './string-match.ts';
import { ROUTE_WARNINGS } from './warning-codes.ts';

/**
 * Port, gateway and source conditions are decided here, per proxy, instead of in Envoy: a match for another
 * port, gateway, or calling workload is left out of this proxy's routes. Unlike Istio, which ignores
 * `sourceLabels` when a match names `gateways`, both must hold.
 */
export function matchApplies(
  match: HTTPMatchRequest | undefined,
  scope: RouteScope,
  namespace: string,
): boolean {
  if (!match) return true;
  if (match.port !== undefined && match.port !== 0 && match.port !== scope.port) return false;
  if (match.gateways?.length && !match.gateways.some((g) => scope.gateways.has(gatewayKey(g, namespace)))) {
    return false;
  }
  const node = scope.ctx.node;
  if (!labelsMatch(match.sourceLabels, node.labels)) return false;
  return !match.sourceNamespace || match.sourceNamespace === node.namespace;
}

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Undefined when the match cannot be expressed for this proxy (it is then left out, with a warning). */
export function translateMatch(
  match: HTTPMatchRequest | undefined,
  scope: RouteScope,
  resource: string,
): RouteMatch | undefined {
  const out = create(RouteMatchSchema, { pathSpecifier: { case: 'prefix', value: '/' } });
  if (!match) return out;
  const headers: HeaderMatcher[] = [];
  const metadata: MetadataMatcher[] = [];
  const conditions: [Readonly<Record<string, StringMatch>> | undefined, boolean][] = [
    [match.headers, false],
    [match.withoutHeaders, true],
  ];
  for (const [entries, invert] of conditions) {
    for (const [rawName, value] of Object.entries(entries ?? {})) {
      const name = rawName.toLowerCase();
      if (!isMetadataMatchName(name)) {
        headers.push(headerMatcher(name, value, invert));
        continue;
      }
      const claims = claimPath(rawName);
      if (!claims || !scope.isGateway) {
        scope.ctx.warn({
          code: ROUTE_WARNINGS.CLAIM_MATCH_UNSUPPORTED,
          message: claims
            ? `match on ${rawName} only applies on gateways (sidecars verify no JWT on outbound requests); the match is left out`
            : `match name ${rawName} is not a supported metadata match (use @request.auth.claims.<claim>); the match is left out`,
          resource,
        });
        return undefined;
      }
      metadata.push(claimMatcher(claims, value, invert));
    }
  }
  const pseudo: [string, StringMatch | undefined][] = [
    [':method', match.method],
    [':authority', match.authority],
    [':scheme', match.scheme],
  ];
  for (const [name, value] of pseudo) if (value) headers.push(headerMatcher(name, value, false));
  out.headers = headers.sort(byName);
  out.dynamicMetadata = metadata;
  out.queryParameters = Object.entries(match.queryParams ?? {})
    .map(([name, value]) => queryParameterMatcher(name, value))
    .sort(byName);
  const uri = match.uri;
  if (uri?.exact !== undefined) out.pathSpecifier = { case: 'path', value: uri.exact };
  else if (uri?.prefix !== undefined && uri.prefix !== '')
    out.pathSpecifier = { case: 'prefix', value: uri.prefix };
  else if (uri?.regex !== undefined)
    out.pathSpecifier = { case: 'safeRegex', value: create(RegexMatcherSchema, { regex: uri.regex }) };
  if (match.ignoreUriCase) out.caseSensitive = false;
  return out;
}
