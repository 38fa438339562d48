// The `envoy.filters.http.cors` factory: the filter-level Cors config is empty; policies come per route or
// per virtual host as CorsPolicy.
import { CORS_POLICY_TYPE_URL, CORS_TYPE_URL, HTTP_FILTERS, unpackAnyAs } from '@heddle/xds';
import { CorsPolicySchema } from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import type { HttpFilterFactory } from '../http-filter.ts';
import { compileCorsPolicy } from './config.ts';
import { CorsFilter, type CorsStats } from './filter.ts';

export const corsFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.CORS,
  configTypeUrls: [CORS_TYPE_URL],
  perRouteTypeUrls: [CORS_POLICY_TYPE_URL],
  createFilterFactory(_config, context) {
    const prefix = `${context.statPrefix}cors.`;
    const stats: CorsStats = {
      originValid: context.stats.counter(`${prefix}origin_valid`),
      originInvalid: context.stats.counter(`${prefix}origin_invalid`),
    };
    return { value: { createFilter: (callbacks) => new CorsFilter(stats, callbacks) } };
  },
  parsePerRouteConfig(config) {
    const policy = unpackAnyAs(config, CorsPolicySchema);
    if (!policy) return { error: `cors: cannot decode ${config.typeUrl}` };
    return compileCorsPolicy(policy);
  },
};
