// The `envoy.filters.http.ext_authz` factory (HTTP service or gRPC Check): config compiled once, stats under
// `http.<stat_prefix>.ext_authz.`, checks sent through the proxy's cluster manager.
import { EXT_AUTHZ_TYPE_URL, HTTP_FILTERS } from '@heddle/xds';
import type { HttpFilterFactory } from '../http-filter.ts';
import { EXT_AUTHZ_PER_ROUTE_TYPE_URL, parseExtAuthz, parseExtAuthzPerRoute } from './config.ts';
import { ExtAuthzFilter, type ExtAuthzShared } from './filter.ts';

export const extAuthzFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.EXT_AUTHZ,
  configTypeUrls: [EXT_AUTHZ_TYPE_URL],
  perRouteTypeUrls: [EXT_AUTHZ_PER_ROUTE_TYPE_URL],
  createFilterFactory(config, context) {
    const parsed = parseExtAuthz(config);
    if ('error' in parsed) return parsed;
    const prefix = `${context.statPrefix}ext_authz.`;
    const shared: ExtAuthzShared = {
      config: parsed.value,
      clusters: context.clusters,
      stats: {
        ok: context.stats.counter(`${prefix}ok`),
        denied: context.stats.counter(`${prefix}denied`),
        error: context.stats.counter(`${prefix}error`),
        failureModeAllowed: context.stats.counter(`${prefix}failure_mode_allowed`),
      },
    };
    return { value: { createFilter: (callbacks) => new ExtAuthzFilter(shared, callbacks) } };
  },
  parsePerRouteConfig: parseExtAuthzPerRoute,
};
