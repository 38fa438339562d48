// HTTP filter factories by Envoy filter name and config type URL; the built-ins register here, and the
// security and observability filters add themselves with registerHttpFilter.
import type { Any } from '@bufbuild/protobuf/wkt';
import { TYPED_STRUCT_TYPE_URL, UDPA_TYPED_STRUCT_TYPE_URL, unpackTypedStruct } from '@heddle/xds';
import type { PerRouteConfigParser } from '../../http/routing/per-filter-config.ts';
import { corsFilterFactory } from './cors/index.ts';
import { extAuthzFilterFactory } from './ext-authz/index.ts';
import { faultFilterFactory } from './fault/index.ts';
import type { HttpFilterFactory } from './http-filter.ts';
import { jwtAuthnFilterFactory } from './jwt-authn/index.ts';
import { istioStatsFilterFactory } from './istio-stats/index.ts';
import { rbacFilterFactory } from './rbac/index.ts';
import { routerFilterFactory } from './router/index.ts';

const byName = new Map<string, HttpFilterFactory>();
const byTypeUrl = new Map<string, HttpFilterFactory>();
const byPerRouteTypeUrl = new Map<string, HttpFilterFactory>();

export function registerHttpFilter(factory: HttpFilterFactory): void {
  byName.set(factory.name, factory);
  for (const url of factory.configTypeUrls) byTypeUrl.set(url, factory);
  for (const url of factory.perRouteTypeUrls) byPerRouteTypeUrl.set(url, factory);
}

/** The type URL that names the config: a TypedStruct's inner URL for Heddle-only filters. */
export function effectiveTypeUrl(config: Any): string {
  if (config.typeUrl === TYPED_STRUCT_TYPE_URL || config.typeUrl === UDPA_TYPED_STRUCT_TYPE_URL) {
    return unpackTypedStruct(config)?.typeUrl ?? config.typeUrl;
  }
  return config.typeUrl;
}

/** As Envoy: the config's type URL decides; the filter name is the fallback for filters without config. */
export function findHttpFilterFactory(name: string, config: Any | undefined): HttpFilterFactory | undefined {
  if (config) {
    const factory = byTypeUrl.get(effectiveTypeUrl(config));
    if (factory) return factory;
  }
  return byName.get(name);
}

/** Compiles one `typed_per_filter_config` entry with the factory that owns its type. */
export const parsePerRouteFilterConfig: PerRouteConfigParser = (_filterName, config) => {
  const factory = byPerRouteTypeUrl.get(effectiveTypeUrl(config));
  if (!factory?.parsePerRouteConfig) return undefined;
  return factory.parsePerRouteConfig(config);
};

for (const factory of [
  faultFilterFactory,
  corsFilterFactory,
  jwtAuthnFilterFactory,
  extAuthzFilterFactory,
  rbacFilterFactory,
  istioStatsFilterFactory,
  routerFilterFactory,
])
  registerHttpFilter(factory);
