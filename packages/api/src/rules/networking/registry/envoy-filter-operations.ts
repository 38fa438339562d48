// EnvoyFilter patch operations that Istio's analyzer questions (IST0151–IST0155): operations ignored for
// some targets, and relative operations whose result depends on the order EnvoyFilters are applied in.
import { REGISTRY_CODES } from '../../../findings/codes.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isSet, numberAt, stringAt, structAt, type Struct } from './read.ts';

export interface PatchView {
  readonly index: number;
  readonly applyTo: string;
  readonly operation: string;
  readonly match: Struct | undefined;
  readonly value: Struct | undefined;
}

const ROUTE_TARGETS = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
const REPLACEABLE = new Set(['HTTP_FILTER', 'NETWORK_FILTER']);

export function checkPatchOperations(ctx: RuleContext, spec: Struct, patches: readonly PatchView[]): void {
  const prioritised = (numberAt(spec.priority) ?? 0) !== 0;
  // Names of filters patched under a proxyVersion match; a later relative patch of the same filter may be
  // ordered differently once proxies are upgraded.
  const versioned = new Set<string>();
  for (const patch of patches) {
    const path = ['spec', 'configPatches', patch.index, 'patch', 'operation'];
    const { applyTo, operation } = patch;
    const name = patchedName(patch);
    const proxyVersion = isSet(structAt(patch.match?.proxy)?.proxyVersion);
    let relative = false;
    if (operation === 'ADD' && ROUTE_TARGETS.has(applyTo)) {
      ctx.error(
        REGISTRY_CODES.ENVOY_FILTER_ADD_IGNORED,
        path,
        applyTo === 'HTTP_ROUTE'
          ? 'ADD is ignored for applyTo HTTP_ROUTE; add a route with INSERT_FIRST, INSERT_BEFORE or INSERT_AFTER'
          : 'ADD is ignored for applyTo ROUTE_CONFIGURATION; change it with MERGE, or add a virtual host with applyTo VIRTUAL_HOST',
      );
    } else if (operation === 'REMOVE') {
      if (ROUTE_TARGETS.has(applyTo)) {
        ctx.error(
          REGISTRY_CODES.ENVOY_FILTER_REMOVE_IGNORED,
          path,
          `REMOVE is ignored for applyTo ${applyTo}; to drop a whole virtual host use applyTo VIRTUAL_HOST, otherwise change it with MERGE`,
        );
      } else {
        relative = true;
      }
    } else if (operation === 'REPLACE') {
      if (REPLACEABLE.has(applyTo)) relative = true;
      else {
        ctx.error(
          REGISTRY_CODES.ENVOY_FILTER_REPLACE_MISUSED,
          path,
          `REPLACE only works on HTTP_FILTER and NETWORK_FILTER, so this ${applyTo} patch is ignored; use MERGE, or REMOVE then ADD`,
        );
      }
    } else if (operation === 'INSERT_BEFORE' || operation === 'INSERT_AFTER') {
      relative = true;
    }
    if (relative && !prioritised) {
      const withVersion = proxyVersion || (name !== undefined && versioned.has(name));
      ctx.warn(
        withVersion
          ? REGISTRY_CODES.ENVOY_FILTER_RELATIVE_WITH_PROXY_VERSION
          : REGISTRY_CODES.ENVOY_FILTER_RELATIVE_OPERATION,
        path,
        relativeMessage(patch, withVersion),
      );
    }
    if (proxyVersion && name !== undefined) versioned.add(name);
  }
}

/** The filter a patch is about: the one it inserts, else the one it matches. */
function patchedName(patch: PatchView): string | undefined {
  return (
    stringAt(patch.value?.name) ??
    stringAt(structAt(structAt(structAt(patch.match?.listener)?.filterChain)?.filter)?.name)
  );
}

function relativeMessage(patch: PatchView, withVersion: boolean): string {
  const order = withVersion
    ? 'and because this filter is also patched for a specific proxyVersion, its order can change when proxies are upgraded'
    : 'and without spec.priority its order against other EnvoyFilters is not fixed';
  const filter = structAt(structAt(structAt(patch.match?.listener)?.filterChain)?.filter);
  const anchor = patch.applyTo === 'HTTP_FILTER' ? structAt(filter?.subFilter)?.name : filter?.name;
  if (
    patch.operation === 'INSERT_BEFORE' &&
    (patch.applyTo === 'HTTP_FILTER' || patch.applyTo === 'NETWORK_FILTER') &&
    !isSet(anchor)
  ) {
    const what = patch.applyTo === 'HTTP_FILTER' ? 'subFilter' : 'filter';
    return `with no ${what} match to insert before, INSERT_BEFORE puts the filter at the start of the chain, ${order}; write INSERT_FIRST to say that, or set spec.priority`;
  }
  return `${patch.operation} places this patch relative to another filter, ${order}; set spec.priority, or use INSERT_FIRST or ADD`;
}
