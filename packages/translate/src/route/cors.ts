// Istio CorsPolicy → the per-route config of `envoy.filters.http.cors` (envoy.extensions.filters.http.cors.v3).
import { create } from '@bufbuild/protobuf';
import type { CorsPolicy as IstioCorsPolicy, StringMatch } from '@heddle/api';
import { parseDurationMs } from '@heddle/api';
import {
  CorsPolicySchema,
  type CorsPolicy,
} from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import type { StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import { runtimeFraction } from './percent.ts';
import { stringMatcher } from './string-match.ts';

/** `exact: "*"` means any origin to users; Envoy compares it literally, so it becomes a match-all regex. */
function originMatcher(match: StringMatch): StringMatcher | undefined {
  return stringMatcher(match.exact === '*' ? { regex: '.*' } : match);
}

export function translateCors(policy: IstioCorsPolicy): CorsPolicy {
  const origins = policy.allowOrigins ?? (policy.allowOrigin ?? []).map((exact) => ({ exact }));
  const maxAgeMs = policy.maxAge !== undefined ? parseDurationMs(policy.maxAge) : undefined;
  return create(CorsPolicySchema, {
    allowOriginStringMatch: origins.map(originMatcher).filter((m): m is StringMatcher => m !== undefined),
    allowMethods: (policy.allowMethods ?? []).join(','),
    allowHeaders: (policy.allowHeaders ?? []).join(','),
    exposeHeaders: (policy.exposeHeaders ?? []).join(','),
    // Access-Control-Max-Age is in whole seconds.
    maxAge: maxAgeMs !== undefined ? String(Math.floor(maxAgeMs / 1000)) : '',
    allowCredentials: policy.allowCredentials,
    filterEnabled: runtimeFraction(100),
    // Preflights from origins that are not allowed go upstream unless the policy says to ignore them.
    forwardNotMatchingPreflights: policy.unmatchedPreflights !== 'IGNORE',
  });
}
