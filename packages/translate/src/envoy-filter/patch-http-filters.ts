// HTTP_FILTER patches on one connection manager's `http_filters`. ADD keeps the router last (Envoy refuses a
// chain where it is not) and honours filterClass: AUTHN after the JWT filter, AUTHZ after the authorization
// filters, STATS before the stats filter.
import { clone } from '@bufbuild/protobuf';
import { HTTP_FILTERS } from '@heddle/xds';
import {
  HttpFilterSchema,
  type HttpConnectionManager,
  type HttpFilter,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { httpFilterMatches, httpFilterName } from './listener-match.ts';
import { insertIntoList, mergeOrRemove } from './list-patch.ts';
import { mergeMessage } from './merge-message.ts';
import type { Patch } from './patch-model.ts';

const AUTHN = new Set<string>([HTTP_FILTERS.JWT_AUTHN]);
const AUTHZ = new Set<string>([HTTP_FILTERS.RBAC, HTTP_FILTERS.EXT_AUTHZ]);

function lastIndexOf(filters: readonly HttpFilter[], names: ReadonlySet<string>): number {
  return filters.findLastIndex((f) => names.has(f.name));
}

/** Just before the router when the chain ends with it, else at the end. */
function beforeRouter(filters: readonly HttpFilter[]): number {
  return filters.at(-1)?.name === HTTP_FILTERS.ROUTER ? filters.length - 1 : filters.length;
}

function addPosition(patch: Patch<'HTTP_FILTER'>, filters: readonly HttpFilter[]): number {
  switch (patch.filterClass) {
    case 'AUTHN':
      return lastIndexOf(filters, AUTHN) + 1;
    case 'AUTHZ': {
      const authz = lastIndexOf(filters, AUTHZ);
      return (authz >= 0 ? authz : lastIndexOf(filters, AUTHN)) + 1;
    }
    case 'STATS': {
      const stats = filters.findIndex((f) => f.name === HTTP_FILTERS.ISTIO_STATS);
      return stats >= 0 ? stats : beforeRouter(filters);
    }
    case 'UNSPECIFIED':
      return beforeRouter(filters);
  }
}

export function patchHttpFilters(hcm: HttpConnectionManager, patches: readonly Patch<'HTTP_FILTER'>[]): void {
  const filters = [...hcm.httpFilters];
  for (const patch of patches) {
    const value = patch.value;
    if (!value) continue;
    const name = httpFilterName(patch);
    insertIntoList(filters, {
      operation: patch.operation,
      value: () => clone(HttpFilterSchema, value),
      anchor: name === undefined ? undefined : (f) => f.name === name,
      addPosition: (items) => addPosition(patch, items),
    });
  }
  hcm.httpFilters = mergeOrRemove(
    filters,
    patches.map((patch) => ({
      operation: patch.operation,
      matches: (filter: HttpFilter) => httpFilterMatches(patch, filter),
      merge: (filter: HttpFilter) => {
        if (patch.value) mergeMessage(HttpFilterSchema, filter, clone(HttpFilterSchema, patch.value));
      },
    })),
  );
}
