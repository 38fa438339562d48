// A CorsPolicy compiled once: origin matchers and the header values preflight and actual responses carry.
import type { CorsPolicy } from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import { runtimeFractionOf } from '../../../http/routing/fractional-percent.ts';
import { compileStringMatcher, type StringPredicate } from '../../../http/routing/string-matcher.ts';
import type { FactoryResult } from '../http-filter.ts';

export interface CorsConfig {
  readonly origins: readonly StringPredicate[];
  readonly allowMethods?: string;
  readonly allowHeaders?: string;
  readonly exposeHeaders?: string;
  readonly maxAge?: string;
  readonly allowCredentials: boolean;
  readonly allowPrivateNetworkAccess: boolean;
  /** Share of requests the policy is enforced on (filter_enabled). */
  readonly enabled: number;
  /** Share evaluated for stats only (shadow_enabled). */
  readonly shadow: number;
  readonly forwardNotMatchingPreflights: boolean;
}

export function compileCorsPolicy(policy: CorsPolicy): FactoryResult<CorsConfig> {
  const origins: StringPredicate[] = [];
  for (const matcher of policy.allowOriginStringMatch) {
    const compiled = compileStringMatcher(matcher);
    if ('error' in compiled) return { error: `cors.allow_origin_string_match: ${compiled.error}` };
    origins.push(compiled.value);
  }
  if (policy.maxAge !== '' && !/^\d+$/.test(policy.maxAge)) {
    return { error: `cors.max_age ${JSON.stringify(policy.maxAge)} is not a number of seconds` };
  }
  const nonEmpty = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
  const allowMethods = nonEmpty(policy.allowMethods);
  const allowHeaders = nonEmpty(policy.allowHeaders);
  const exposeHeaders = nonEmpty(policy.exposeHeaders);
  const maxAge = nonEmpty(policy.maxAge);
  return {
    value: {
      origins,
      ...(allowMethods !== undefined ? { allowMethods } : {}),
      ...(allowHeaders !== undefined ? { allowHeaders } : {}),
      ...(exposeHeaders !== undefined ? { exposeHeaders } : {}),
      ...(maxAge !== undefined ? { maxAge } : {}),
      allowCredentials: policy.allowCredentials ?? false,
      allowPrivateNetworkAccess: policy.allowPrivateNetworkAccess ?? false,
      enabled: runtimeFractionOf(policy.filterEnabled, 1),
      shadow: runtimeFractionOf(policy.shadowEnabled, 0),
      forwardNotMatchingPreflights: policy.forwardNotMatchingPreflights ?? true,
    },
  };
}
