// The ordered HTTP filter list of every HTTP connection manager, with hook points for the parts added later.
import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import {
  HttpFilterSchema,
  type HttpFilter,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { CorsSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';

/**
 * Filters other parts of the translator insert, by phase, in Istio's order: CUSTOM authorization
 * (ext_authz) runs first, then authentication (jwt_authn), then authorization (rbac: DENY before ALLOW);
 * telemetry (stats, wasm) runs after fault and CORS, just before the router.
 */
export interface HttpFilterHooks {
  readonly customAuthorization?: readonly HttpFilter[];
  readonly authentication?: readonly HttpFilter[];
  readonly authorization?: readonly HttpFilter[];
  readonly telemetry?: readonly HttpFilter[];
}

export function httpFilter(name: string, typedConfig: Any): HttpFilter {
  return create(HttpFilterSchema, { name, configType: { case: 'typedConfig', value: typedConfig } });
}

/**
 * Fault and CORS are always present, empty, so that per-route `typed_per_filter_config` applies (Envoy and
 * gRPC ignore a per-route config whose filter is not in the chain). The router is always last, and a
 * filter name appears once: a hook cannot add a second router or shadow a built-in filter.
 */
export function buildHttpFilters(hooks: HttpFilterHooks = {}): HttpFilter[] {
  const seen = new Set<string>([HTTP_FILTERS.FAULT, HTTP_FILTERS.CORS, HTTP_FILTERS.ROUTER]);
  const unique = (filters: readonly HttpFilter[] = []): HttpFilter[] =>
    filters.filter((filter) => !seen.has(filter.name) && Boolean(seen.add(filter.name)));
  return [
    ...unique(hooks.customAuthorization),
    ...unique(hooks.authentication),
    ...unique(hooks.authorization),
    httpFilter(HTTP_FILTERS.FAULT, packAny(HTTPFaultSchema, {})),
    httpFilter(HTTP_FILTERS.CORS, packAny(CorsSchema, {})),
    ...unique(hooks.telemetry),
    httpFilter(HTTP_FILTERS.ROUTER, packAny(RouterSchema, {})),
  ];
}
