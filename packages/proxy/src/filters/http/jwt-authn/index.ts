// The `envoy.filters.http.jwt_authn` factory: JwtAuthentication compiled once (keys, providers, rules), stats
// under `http.<stat_prefix>.jwt_authn.`.
import { HTTP_FILTERS, JWT_AUTHN_TYPE_URL } from '@heddle/xds';
import type { HttpFilterFactory } from '../http-filter.ts';
import { JWT_AUTHN_PER_ROUTE_TYPE_URL, parseJwtAuthn, parseJwtAuthnPerRoute } from './config.ts';
import { JwtAuthnFilter, type JwtAuthnShared } from './filter.ts';

export const jwtAuthnFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.JWT_AUTHN,
  configTypeUrls: [JWT_AUTHN_TYPE_URL],
  perRouteTypeUrls: [JWT_AUTHN_PER_ROUTE_TYPE_URL],
  createFilterFactory(config, context) {
    const parsed = parseJwtAuthn(config);
    if ('error' in parsed) return parsed;
    const prefix = `${context.statPrefix}jwt_authn.`;
    const shared: JwtAuthnShared = {
      config: parsed.value,
      stats: {
        allowed: context.stats.counter(`${prefix}allowed`),
        denied: context.stats.counter(`${prefix}denied`),
        corsPreflightBypassed: context.stats.counter(`${prefix}cors_preflight_bypassed`),
      },
    };
    return { value: { createFilter: (callbacks) => new JwtAuthnFilter(shared, callbacks) } };
  },
  parsePerRouteConfig: parseJwtAuthnPerRoute,
};
