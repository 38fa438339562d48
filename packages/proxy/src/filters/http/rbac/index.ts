// The `envoy.filters.http.rbac` factory: RBAC at filter level, RBACPerRoute per route, stats resolved once.
import { HTTP_FILTERS, HTTP_RBAC_PER_ROUTE_TYPE_URL, HTTP_RBAC_TYPE_URL } from '@heddle/xds';
import { createRbacStats } from '../../common/rbac/rbac-stats.ts';
import type { HttpFilterFactory } from '../http-filter.ts';
import { parseHttpRbac, parseHttpRbacPerRoute } from './config.ts';
import { HttpRbacFilter, type HttpRbacShared } from './filter.ts';

export const rbacFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.RBAC,
  configTypeUrls: [HTTP_RBAC_TYPE_URL],
  perRouteTypeUrls: [HTTP_RBAC_PER_ROUTE_TYPE_URL],
  createFilterFactory(config, context) {
    const parsed = parseHttpRbac(config);
    if ('error' in parsed) return parsed;
    const shared: HttpRbacShared = {
      config: parsed.value,
      stats: createRbacStats(
        context.stats,
        context.statPrefix,
        parsed.value.rulesStatPrefix,
        parsed.value.rules.shadowRulesStatPrefix,
      ),
    };
    return { value: { createFilter: (callbacks) => new HttpRbacFilter(shared, callbacks) } };
  },
  parsePerRouteConfig: parseHttpRbacPerRoute,
};
