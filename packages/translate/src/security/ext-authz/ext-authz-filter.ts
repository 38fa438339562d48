// The `envoy.filters.http.ext_authz` filter of an envoyExtAuthzHttp or envoyExtAuthzGrpc provider (the gRPC
// one as an `envoy_grpc` service on the provider's cluster). It runs only for requests a
// CUSTOM rule matched: the CUSTOM shadow RBAC filter before it records the matched policy name, and
// `filter_enabled_metadata` checks that name for the CUSTOM prefix, as Istio wires it.
import { create } from '@bufbuild/protobuf';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { ApiVersion } from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import { ExtAuthzSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/ext_authz/v3/ext_authz_pb.ts';
import type { StatusCode } from '@heddle/xds/gen/envoy/type/v3/http_status_pb.ts';
import {
  ListStringMatcherSchema,
  type ListStringMatcher,
} from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import { durationFromText, durationFromMs } from '../../listener/duration.ts';
import { httpFilter } from '../../listener/http-filters.ts';
import { EXT_AUTHZ_POLICY_PREFIX, EXT_AUTHZ_SHADOW_POLICY_KEY } from '../authz/policy-names.ts';
import { valueMatcher } from '../authz/value-matchers.ts';
import type { ResolvedGrpcProvider, ResolvedHttpProvider, ResolvedProvider } from './extension-provider.ts';

/** Istio's defaults: wait up to 600 s, and answer 403 when the authorizer cannot be reached. */
const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_STATUS_ON_ERROR = 403;

/** Header names as Istio reads them: exact, `prefix*` or `*suffix`, compared without case. */
function headerList(names: readonly string[] | undefined): ListStringMatcher | undefined {
  if (!names || names.length === 0) return undefined;
  return create(ListStringMatcherSchema, { patterns: names.map((n) => valueMatcher(n.toLowerCase(), true)) });
}

function statusOnError(text: string | undefined): StatusCode {
  const code = text === undefined ? NaN : Number(text);
  // StatusCode is an open enum whose values are the HTTP codes themselves.
  return (
    Number.isInteger(code) && code >= 200 && code <= 599 ? code : DEFAULT_STATUS_ON_ERROR
  ) as StatusCode;
}

/** Only requests a CUSTOM rule matched: the shadow RBAC filter's policy name carries the CUSTOM prefix. */
const CUSTOM_MATCHED = {
  filter: HTTP_FILTERS.RBAC,
  path: [{ segment: { case: 'key' as const, value: EXT_AUTHZ_SHADOW_POLICY_KEY } }],
  value: {
    matchPattern: {
      case: 'stringMatch' as const,
      value: { matchPattern: { case: 'prefix' as const, value: EXT_AUTHZ_POLICY_PREFIX } },
    },
  },
};

export function extAuthzFilter(resolved: ResolvedProvider): HttpFilter {
  return resolved.kind === 'grpc' ? extAuthzGrpcFilter(resolved) : extAuthzHttpFilter(resolved);
}

function extAuthzGrpcFilter(resolved: ResolvedGrpcProvider): HttpFilter {
  const { provider } = resolved;
  return httpFilter(
    HTTP_FILTERS.EXT_AUTHZ,
    packAny(ExtAuthzSchema, {
      services: {
        case: 'grpcService',
        value: {
          targetSpecifier: {
            case: 'envoyGrpc',
            value: { clusterName: resolved.cluster, authority: resolved.host },
          },
          timeout: durationFromText(provider.timeout) ?? durationFromMs(DEFAULT_TIMEOUT_MS),
        },
      },
      transportApiVersion: ApiVersion.V3,
      failureModeAllow: provider.failOpen ?? false,
      statusOnError: { code: statusOnError(provider.statusOnError) },
      filterEnabledMetadata: CUSTOM_MATCHED,
    }),
  );
}

function extAuthzHttpFilter(resolved: ResolvedHttpProvider): HttpFilter {
  const { provider } = resolved;
  const allowedHeaders = headerList(provider.includeRequestHeadersInCheck);
  const upstream = headerList(provider.headersToUpstreamOnAllow);
  const clientOnDeny = headerList(provider.headersToDownstreamOnDeny);
  const clientOnAllow = headerList(provider.headersToDownstreamOnAllow);
  const additional = Object.entries(provider.includeAdditionalHeadersInCheck ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return httpFilter(
    HTTP_FILTERS.EXT_AUTHZ,
    packAny(ExtAuthzSchema, {
      services: {
        case: 'httpService',
        value: {
          serverUri: {
            uri: `http://${resolved.host}`,
            httpUpstreamType: { case: 'cluster', value: resolved.cluster },
            timeout: durationFromText(provider.timeout) ?? durationFromMs(DEFAULT_TIMEOUT_MS),
          },
          ...(provider.pathPrefix ? { pathPrefix: provider.pathPrefix } : {}),
          authorizationRequest: {
            ...(allowedHeaders ? { allowedHeaders } : {}),
            headersToAdd: additional.map(([key, value]) => ({ key, value })),
          },
          authorizationResponse: {
            ...(upstream ? { allowedUpstreamHeaders: upstream } : {}),
            ...(clientOnDeny ? { allowedClientHeaders: clientOnDeny } : {}),
            ...(clientOnAllow ? { allowedClientHeadersOnSuccess: clientOnAllow } : {}),
          },
        },
      },
      transportApiVersion: ApiVersion.V3,
      failureModeAllow: provider.failOpen ?? false,
      statusOnError: { code: statusOnError(provider.statusOnError) },
      filterEnabledMetadata: CUSTOM_MATCHED,
    }),
  );
}
