// EnvoyFilter matches: the match must describe the kind of object applyTo patches, and listener filter
// matches must name the filters they select.
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { HTTP_CONNECTION_MANAGER, RENAMED_FILTERS } from './envoy-filter-known.ts';
import { isSet, stringAt, structAt, type Struct } from './read.ts';

const LISTENER_CLASS = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER']);
const ROUTE_CLASS = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);
const MATCH_KINDS = ['listener', 'routeConfiguration', 'cluster'] as const;

export function checkPatchMatch(ctx: RuleContext, applyTo: string, match: Struct, path: FieldPath): void {
  const expected = LISTENER_CLASS.has(applyTo)
    ? 'listener'
    : ROUTE_CLASS.has(applyTo)
      ? 'routeConfiguration'
      : applyTo === 'CLUSTER'
        ? 'cluster'
        : undefined;
  if (!expected) return;
  const wrong = MATCH_KINDS.find((kind) => kind !== expected && isSet(match[kind]));
  if (wrong) {
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_MATCH_MISMATCH,
      [...path, wrong],
      `applyTo ${applyTo} patches ${expected === 'routeConfiguration' ? 'route configurations' : `${expected}s`}, so the match must use ${expected}, not ${wrong}`,
    );
    return;
  }
  if (expected !== 'listener') return;
  const filter = structAt(structAt(structAt(match.listener)?.filterChain)?.filter);
  if (filter) checkFilterMatch(ctx, applyTo, filter, [...path, 'listener', 'filterChain', 'filter']);
}

function checkFilterMatch(ctx: RuleContext, applyTo: string, filter: Struct, path: FieldPath): void {
  if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN') {
    ctx.warn(
      REGISTRY_CODES.ENVOY_FILTER_MATCH_NO_EFFECT,
      path,
      `a filter match is ignored when applyTo is ${applyTo}; remove it, or patch NETWORK_FILTER/HTTP_FILTER`,
    );
  }
  const name = stringAt(filter.name) ?? '';
  if (name === '') {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'name'],
      `a filter match needs the name of the filter, e.g. ${HTTP_CONNECTION_MANAGER}`,
    );
    return;
  }
  checkRenamed(ctx, name, [...path, 'name']);
  const subFilter = structAt(filter.subFilter);
  if (!subFilter) return;
  const at = [...path, 'subFilter'];
  if (applyTo !== 'HTTP_FILTER') {
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_SUB_FILTER_INVALID,
      at,
      `subFilter selects an HTTP filter, so it only works with applyTo HTTP_FILTER (this patch is ${applyTo})`,
    );
    return;
  }
  if (name !== HTTP_CONNECTION_MANAGER && name !== 'envoy.http_connection_manager') {
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_SUB_FILTER_INVALID,
      at,
      `HTTP filters live inside ${HTTP_CONNECTION_MANAGER}, so a subFilter match needs filter.name: ${HTTP_CONNECTION_MANAGER}`,
    );
    return;
  }
  const subName = stringAt(subFilter.name) ?? '';
  if (subName === '') {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'subFilter', 'name'],
      'a subFilter match needs the HTTP filter name, e.g. envoy.filters.http.router',
    );
    return;
  }
  checkRenamed(ctx, subName, [...path, 'subFilter', 'name']);
}

function checkRenamed(ctx: RuleContext, name: string, path: FieldPath): void {
  const current = RENAMED_FILTERS[name];
  if (current) {
    ctx.warn(COMMON_CODES.DEPRECATED_VALUE, path, `"${name}" is a deprecated filter name; use "${current}"`);
  }
}
