// JwtAuthentication compiled once per update: providers, the rules that pick a requirement per request (first
// matching route match wins), named requirements for per-route configs.
import type { Any } from '@bufbuild/protobuf/wkt';
import { JWT_AUTHN_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import {
  JwtAuthenticationSchema,
  PerRouteConfigSchema,
} from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import { compileRouteMatch, type CompiledMatch } from '../../../http/routing/route-match.ts';
import type { FactoryResult } from '../http-filter.ts';
import { compileProvider, type CompiledProvider } from './provider.ts';
import { compileRequirement, unionLocations, type Requirement } from './requirement.ts';
import type { TokenLocation } from './token-extraction.ts';

export const JWT_AUTHN_PER_ROUTE_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig';

export interface JwtRule {
  readonly match: CompiledMatch;
  readonly requirement: Requirement;
}

export interface JwtAuthnConfig {
  readonly providers: readonly CompiledProvider[];
  readonly allLocations: readonly TokenLocation[];
  readonly rules: readonly JwtRule[];
  readonly requirementMap: ReadonlyMap<string, Requirement>;
  readonly bypassCorsPreflight: boolean;
  /** Headers only a verified token may set: stripped from every request before verification. */
  readonly outputHeaders: readonly string[];
}

export type JwtAuthnPerRoute = { readonly disabled: true } | { readonly requirementName: string };

export function parseJwtAuthn(any: Any | undefined): FactoryResult<JwtAuthnConfig> {
  if (!any) return { error: 'jwt_authn: the filter needs a typed_config' };
  if (any.typeUrl !== JWT_AUTHN_TYPE_URL)
    return { error: `jwt_authn: unexpected config type ${any.typeUrl}` };
  const config = unpackAnyAs(any, JwtAuthenticationSchema);
  if (!config) return { error: `jwt_authn: cannot decode ${any.typeUrl}` };
  if (config.filterStateRules) return { error: 'jwt_authn: filter_state_rules are not supported' };
  const providers = new Map<string, CompiledProvider>();
  for (const name of Object.keys(config.providers).sort()) {
    const provider = config.providers[name];
    if (!provider) continue;
    const compiled = compileProvider(name, provider);
    if ('error' in compiled) return compiled;
    providers.set(name, compiled.value);
  }
  const rules: JwtRule[] = [];
  for (const [i, rule] of config.rules.entries()) {
    const match = compileRouteMatch(rule.match);
    if ('error' in match) return { error: `jwt_authn.rules[${i}].match: ${match.error}` };
    const type = rule.requirementType;
    let requirement: Requirement;
    if (type.case === 'requirementName') {
      const named = config.requirementMap[type.value];
      if (!named) return { error: `jwt_authn.rules[${i}]: unknown requirement_name ${type.value}` };
      const compiled = compileRequirement(named, providers);
      if ('error' in compiled) return { error: `jwt_authn.rules[${i}]: ${compiled.error}` };
      requirement = compiled.value;
    } else {
      const compiled = compileRequirement(type.value, providers);
      if ('error' in compiled) return { error: `jwt_authn.rules[${i}]: ${compiled.error}` };
      requirement = compiled.value;
    }
    rules.push({ match: match.value, requirement });
  }
  const requirementMap = new Map<string, Requirement>();
  for (const [name, requirement] of Object.entries(config.requirementMap)) {
    const compiled = compileRequirement(requirement, providers);
    if ('error' in compiled) return { error: `jwt_authn.requirement_map[${name}]: ${compiled.error}` };
    requirementMap.set(name, compiled.value);
  }
  const outputHeaders = new Set<string>();
  for (const p of providers.values()) {
    if (p.forwardPayloadHeader) outputHeaders.add(p.forwardPayloadHeader);
    for (const c of p.claimToHeaders) outputHeaders.add(c.header);
  }
  return {
    value: {
      providers: [...providers.values()],
      allLocations: unionLocations(providers.values()),
      rules,
      requirementMap,
      bypassCorsPreflight: config.bypassCorsPreflight,
      outputHeaders: [...outputHeaders],
    },
  };
}

export function parseJwtAuthnPerRoute(any: Any): FactoryResult<JwtAuthnPerRoute> {
  const perRoute = unpackAnyAs(any, PerRouteConfigSchema);
  if (!perRoute) return { error: `jwt_authn: cannot decode ${any.typeUrl}` };
  const spec = perRoute.requirementSpecifier;
  if (spec.case === 'disabled' && spec.value) return { value: { disabled: true } };
  if (spec.case === 'requirementName') return { value: { requirementName: spec.value } };
  return { error: 'jwt_authn per-route config needs disabled or requirement_name' };
}
