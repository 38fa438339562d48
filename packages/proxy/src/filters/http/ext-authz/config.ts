// ExtAuthz compiled once: where the authorization service is and how it is asked (HTTP service or gRPC Check),
// which request headers it receives, which of its response headers reach the upstream or the client (HTTP mode;
// a gRPC service names its changes itself), and what happens on failure.
import { durationMs, type Any } from '@bufbuild/protobuf/wkt';
import { EXT_AUTHZ_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import {
  ExtAuthzPerRouteSchema,
  ExtAuthzSchema,
} from '@heddle/xds/gen/envoy/extensions/filters/http/ext_authz/v3/ext_authz_pb.ts';
import type { ListStringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import { compileMetadataMatcher, type MetadataPredicate } from '../../../http/routing/metadata-matcher.ts';
import {
  compileStringMatcher,
  type CompileResult,
  type StringPredicate,
} from '../../../http/routing/string-matcher.ts';
import type { FactoryResult } from '../http-filter.ts';

export const EXT_AUTHZ_PER_ROUTE_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute';

/** A header-name list; `undefined` when the config left the list unset. */
export type NameList = ((name: string) => boolean) | undefined;

export interface ExtAuthzConfig {
  /** How the service is asked: an HTTP request like the original, or the gRPC Check call. */
  readonly protocol: 'http' | 'grpc';
  readonly cluster: string;
  /** `host[:port]` from server_uri (or envoy_grpc's authority), sent as the check request's authority. */
  readonly authority: string;
  readonly pathPrefix: string;
  readonly timeoutMs: number;
  readonly allowedHeaders: NameList;
  readonly headersToAdd: readonly (readonly [string, string])[];
  readonly allowedUpstreamHeaders: NameList;
  readonly allowedUpstreamHeadersToAppend: NameList;
  readonly allowedClientHeaders: NameList;
  readonly allowedClientHeadersOnSuccess: NameList;
  readonly failureModeAllow: boolean;
  readonly failureModeAllowHeaderAdd: boolean;
  readonly statusOnError: number;
  readonly enabledMetadata?: MetadataPredicate;
}

function compileNameList(list: ListStringMatcher | undefined, where: string): CompileResult<NameList> {
  if (!list) return { value: undefined };
  const tests: StringPredicate[] = [];
  for (const pattern of list.patterns) {
    const compiled = compileStringMatcher(pattern);
    if ('error' in compiled) return { error: `${where}: ${compiled.error}` };
    tests.push(compiled.value);
  }
  return { value: (name) => tests.some((t) => t(name)) };
}

/** Envoy's default check timeout. */
const DEFAULT_TIMEOUT_MS = 200;

export function parseExtAuthz(any: Any | undefined): FactoryResult<ExtAuthzConfig> {
  if (!any) return { error: 'ext_authz: the filter needs a typed_config' };
  if (any.typeUrl !== EXT_AUTHZ_TYPE_URL)
    return { error: `ext_authz: unexpected config type ${any.typeUrl}` };
  const config = unpackAnyAs(any, ExtAuthzSchema);
  if (!config) return { error: `ext_authz: cannot decode ${any.typeUrl}` };
  if (config.withRequestBody) return { error: 'ext_authz: with_request_body is not supported' };
  let enabledMetadata: MetadataPredicate | undefined;
  if (config.filterEnabledMetadata) {
    const compiled = compileMetadataMatcher(config.filterEnabledMetadata);
    if ('error' in compiled) return { error: `ext_authz.filter_enabled_metadata: ${compiled.error}` };
    enabledMetadata = compiled.value;
  }
  const common = {
    failureModeAllow: config.failureModeAllow,
    failureModeAllowHeaderAdd: config.failureModeAllowHeaderAdd,
    statusOnError: config.statusOnError?.code || 403,
    ...(enabledMetadata ? { enabledMetadata } : {}),
  };
  if (config.services.case === 'grpcService') {
    const grpc = config.services.value;
    const target = grpc.targetSpecifier;
    if (target.case === 'googleGrpc')
      return { error: 'ext_authz.grpc_service: google_grpc is not supported; use envoy_grpc' };
    if (target.case !== 'envoyGrpc' || target.value.clusterName === '')
      return { error: 'ext_authz.grpc_service.envoy_grpc needs a cluster_name' };
    const allowed = compileNameList(config.allowedHeaders, 'allowed_headers');
    if ('error' in allowed) return { error: `ext_authz: ${allowed.error}` };
    return {
      value: {
        protocol: 'grpc',
        cluster: target.value.clusterName,
        authority: target.value.authority || target.value.clusterName,
        pathPrefix: '',
        timeoutMs: grpc.timeout ? durationMs(grpc.timeout) : DEFAULT_TIMEOUT_MS,
        allowedHeaders: allowed.value,
        headersToAdd: grpc.initialMetadata.map((h) => [h.key.toLowerCase(), h.value] as const),
        allowedUpstreamHeaders: undefined,
        allowedUpstreamHeadersToAppend: undefined,
        allowedClientHeaders: undefined,
        allowedClientHeadersOnSuccess: undefined,
        ...common,
      },
    };
  }
  if (config.services.case !== 'httpService')
    return { error: 'ext_authz: http_service or grpc_service is required' };
  const http = config.services.value;
  const uri = http.serverUri;
  if (!uri || uri.httpUpstreamType.case !== 'cluster' || uri.httpUpstreamType.value === '') {
    return { error: 'ext_authz.http_service.server_uri needs a cluster' };
  }
  let authority: string;
  try {
    authority = new URL(uri.uri).host;
  } catch {
    return { error: `ext_authz.http_service.server_uri.uri ${JSON.stringify(uri.uri)} is not a URL` };
  }
  const lists = {
    allowedHeaders: compileNameList(http.authorizationRequest?.allowedHeaders, 'allowed_headers'),
    allowedUpstreamHeaders: compileNameList(
      http.authorizationResponse?.allowedUpstreamHeaders,
      'allowed_upstream_headers',
    ),
    allowedUpstreamHeadersToAppend: compileNameList(
      http.authorizationResponse?.allowedUpstreamHeadersToAppend,
      'allowed_upstream_headers_to_append',
    ),
    allowedClientHeaders: compileNameList(
      http.authorizationResponse?.allowedClientHeaders,
      'allowed_client_headers',
    ),
    allowedClientHeadersOnSuccess: compileNameList(
      http.authorizationResponse?.allowedClientHeadersOnSuccess,
      'allowed_client_headers_on_success',
    ),
  };
  for (const list of Object.values(lists)) if ('error' in list) return { error: `ext_authz: ${list.error}` };
  const value = (r: CompileResult<NameList>): NameList => ('value' in r ? r.value : undefined);
  return {
    value: {
      protocol: 'http',
      cluster: uri.httpUpstreamType.value,
      authority,
      pathPrefix: http.pathPrefix,
      timeoutMs: uri.timeout ? durationMs(uri.timeout) : DEFAULT_TIMEOUT_MS,
      allowedHeaders: value(lists.allowedHeaders),
      headersToAdd: (http.authorizationRequest?.headersToAdd ?? []).map(
        (h) => [h.key.toLowerCase(), h.value] as const,
      ),
      allowedUpstreamHeaders: value(lists.allowedUpstreamHeaders),
      allowedUpstreamHeadersToAppend: value(lists.allowedUpstreamHeadersToAppend),
      allowedClientHeaders: value(lists.allowedClientHeaders),
      allowedClientHeadersOnSuccess: value(lists.allowedClientHeadersOnSuccess),
      ...common,
    },
  };
}

export interface ExtAuthzPerRoute {
  readonly disabled: boolean;
}

export function parseExtAuthzPerRoute(any: Any): FactoryResult<ExtAuthzPerRoute> {
  const perRoute = unpackAnyAs(any, ExtAuthzPerRouteSchema);
  if (!perRoute) return { error: `ext_authz: cannot decode ${any.typeUrl}` };
  if (perRoute.override.case === 'disabled') return { value: { disabled: perRoute.override.value } };
  if (perRoute.override.case === 'checkSettings') {
    return { error: 'ext_authz per-route check_settings are not supported' };
  }
  return { value: { disabled: false } };
}
