// Envoy RouteAction compiled to the router's ForwardAction: cluster choice, timeouts, retries, hashing,
// mirrors, rewrites and upgrades.
import { durationMs } from '@bufbuild/protobuf/wkt';
import {
  RouteAction_ClusterNotFoundResponseCode as NotFound,
  RouteActionSchema,
  WeightedCluster_ClusterWeightSchema,
  WeightedClusterSchema,
  type RouteAction,
  type RouteAction_RequestMirrorPolicy,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { ClusterChoice, ForwardAction, MirrorPolicy, WeightedClusterEntry } from './compiled-route.ts';
import { runtimeFractionOf } from './fractional-percent.ts';
import { compileHashPolicy } from './hash-policy.ts';
import { compileHeaderMutation } from './header-mutation.ts';
import { compilePerFilterConfigs, type PerRouteConfigParser } from './per-filter-config.ts';
import { toJsSubstitution } from './redirect-action.ts';
import { compileRetryPolicy } from './retry-policy.ts';
import { compileSafeRewriteRegex } from './safe-regex.ts';
import type { CompileResult } from './string-matcher.ts';
import { firstUnsupportedField } from './unsupported-fields.ts';
import type { RetryPolicy } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';

const SUPPORTED = new Set([
  // The `cluster_specifier` oneof.
  'cluster',
  'clusterHeader',
  'weightedClusters',
  'clusterNotFoundResponseCode',
  'prefixRewrite',
  'regexRewrite',
  // The `host_rewrite_specifier` oneof (host_rewrite_path_regex is refused).
  'hostRewriteLiteral',
  'autoHostRewrite',
  'hostRewriteHeader',
  'appendXForwardedHost',
  'timeout',
  'idleTimeout',
  'retryPolicy',
  'requestMirrorPolicies',
  'priority',
  'includeVhRateLimits',
  'hashPolicy',
  'maxGrpcTimeout',
  'grpcTimeoutOffset',
  'upgradeConfigs',
  'maxStreamDuration',
  'internalRedirectAction',
]);

/** Envoy's route timeout when none is configured. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

const NOT_FOUND_STATUS: Readonly<Record<number, number>> = {
  [NotFound.SERVICE_UNAVAILABLE]: 503,
  [NotFound.NOT_FOUND]: 404,
  [NotFound.INTERNAL_SERVER_ERROR]: 500,
};

const WEIGHT_SUPPORTED = new Set([
  'name',
  'weight',
  'requestHeadersToAdd',
  'requestHeadersToRemove',
  'responseHeadersToAdd',
  'responseHeadersToRemove',
  'typedPerFilterConfig',
  'hostRewriteLiteral',
]);

function compileClusterChoice(
  action: RouteAction,
  parse: PerRouteConfigParser,
): CompileResult<ClusterChoice> {
  const spec = action.clusterSpecifier;
  switch (spec.case) {
    case 'cluster':
      if (spec.value === '') return { error: 'route.cluster is empty' };
      return { value: { kind: 'cluster', name: spec.value } };
    case 'clusterHeader':
      return { value: { kind: 'header', header: spec.value.toLowerCase() } };
    case 'weightedClusters': {
      const weighted = spec.value;
      const unsupported = firstUnsupportedField(
        WeightedClusterSchema,
        weighted,
        new Set(['clusters', 'totalWeight', 'runtimeKeyPrefix']),
      );
      if (unsupported) return { error: `field route.weighted_clusters.${unsupported} is not supported` };
      const entries: WeightedClusterEntry[] = [];
      let total = 0;
      for (const cluster of weighted.clusters) {
        const bad = firstUnsupportedField(WeightedCluster_ClusterWeightSchema, cluster, WEIGHT_SUPPORTED);
        if (bad) return { error: `field route.weighted_clusters.clusters.${bad} is not supported` };
        const request = compileHeaderMutation(cluster.requestHeadersToAdd, cluster.requestHeadersToRemove);
        if ('error' in request) return { error: `weighted cluster ${cluster.name}: ${request.error}` };
        const response = compileHeaderMutation(cluster.responseHeadersToAdd, cluster.responseHeadersToRemove);
        if ('error' in response) return { error: `weighted cluster ${cluster.name}: ${response.error}` };
        const perFilter = compilePerFilterConfigs(cluster.typedPerFilterConfig, parse);
        if ('error' in perFilter) return { error: `weighted cluster ${cluster.name}: ${perFilter.error}` };
        const weight = cluster.weight ?? 0;
        total += weight;
        const rewrite = cluster.hostRewriteSpecifier;
        entries.push({
          name: cluster.name,
          upTo: total,
          ...(request.value ? { requestMutation: request.value } : {}),
          ...(response.value ? { responseMutation: response.value } : {}),
          ...(rewrite.case === 'hostRewriteLiteral' ? { hostRewrite: rewrite.value } : {}),
          perFilterConfigs: perFilter.value,
        });
      }
      if (weighted.totalWeight !== undefined && weighted.totalWeight !== total) {
        return {
          error: `weighted_clusters weights sum to ${total}, not total_weight ${weighted.totalWeight}`,
        };
      }
      if (total <= 0) return { error: 'weighted_clusters has no cluster with weight' };
      return {
        value: {
          kind: 'weighted',
          total,
          entries: entries.filter((e, i) => i === 0 || e.upTo > (entries[i - 1]?.upTo ?? 0)),
        },
      };
    }
    case 'clusterSpecifierPlugin':
    case 'inlineClusterSpecifierPlugin':
      return {
        error: `field route.${spec.case === 'clusterSpecifierPlugin' ? 'cluster_specifier_plugin' : 'inline_cluster_specifier_plugin'} is not supported`,
      };
    case undefined:
      return { error: 'route action has no cluster specifier' };
  }
}

export function compileMirrors(
  policies: readonly RouteAction_RequestMirrorPolicy[],
): CompileResult<MirrorPolicy[]> {
  const out: MirrorPolicy[] = [];
  for (const policy of policies) {
    if (policy.cluster === '') return { error: 'request_mirror_policies: cluster_header is not supported' };
    out.push({
      cluster: policy.cluster,
      share: runtimeFractionOf(policy.runtimeFraction, 1),
      appendShadowSuffix: !policy.disableShadowHostSuffixAppend,
    });
  }
  return { value: out };
}

export function compileRouteAction(
  action: RouteAction,
  virtualHostRetry: RetryPolicy | undefined,
  parse: PerRouteConfigParser,
): CompileResult<ForwardAction> {
  const unsupported = firstUnsupportedField(RouteActionSchema, action, SUPPORTED);
  if (unsupported) return { error: `field route.${unsupported} is not supported` };
  if (action.internalRedirectAction !== 0)
    return { error: 'field route.internal_redirect_action is not supported' };
  const cluster = compileClusterChoice(action, parse);
  if ('error' in cluster) return cluster;
  const retrySource = action.retryPolicy ?? virtualHostRetry;
  const retry = retrySource ? compileRetryPolicy(retrySource) : undefined;
  if (retry && 'error' in retry) return retry;
  const hash = compileHashPolicy(action.hashPolicy);
  if ('error' in hash) return hash;
  const mirrors = compileMirrors(action.requestMirrorPolicies);
  if ('error' in mirrors) return mirrors;
  let pathRewrite: ForwardAction['pathRewrite'];
  if (action.regexRewrite) {
    const compiled = compileSafeRewriteRegex(action.regexRewrite.pattern?.regex ?? '');
    if ('error' in compiled) return { error: `route.regex_rewrite: ${compiled.error}` };
    pathRewrite = {
      kind: 'regex',
      regex: compiled.regex,
      substitution: toJsSubstitution(action.regexRewrite.substitution),
    };
  } else if (action.prefixRewrite !== '') {
    pathRewrite = { kind: 'prefix', replacement: action.prefixRewrite };
  }
  const host = action.hostRewriteSpecifier;
  let hostRewrite: ForwardAction['hostRewrite'];
  if (host.case === 'hostRewriteLiteral') hostRewrite = { kind: 'literal', value: host.value };
  else if (host.case === 'autoHostRewrite') hostRewrite = host.value.value ? { kind: 'auto' } : undefined;
  else if (host.case === 'hostRewriteHeader')
    hostRewrite = { kind: 'header', header: host.value.toLowerCase() };
  else if (host.case === 'hostRewritePathRegex')
    return { error: 'field route.host_rewrite_path_regex is not supported' };
  const upgrades = new Map<string, boolean>();
  for (const upgrade of action.upgradeConfigs) {
    if (upgrade.connectConfig) return { error: 'route.upgrade_configs.connect_config is not supported' };
    upgrades.set(upgrade.upgradeType.toLowerCase(), upgrade.enabled ?? true);
  }
  const stream = action.maxStreamDuration;
  const grpcHeaderMax = stream?.grpcTimeoutHeaderMax ?? action.maxGrpcTimeout;
  const grpcOffset = stream?.grpcTimeoutHeaderOffset ?? action.grpcTimeoutOffset;
  return {
    value: {
      kind: 'forward',
      cluster: cluster.value,
      notFoundStatus: NOT_FOUND_STATUS[action.clusterNotFoundResponseCode] ?? 503,
      timeoutMs: action.timeout ? durationMs(action.timeout) : DEFAULT_ROUTE_TIMEOUT_MS,
      ...(grpcHeaderMax ? { grpcTimeoutMaxMs: durationMs(grpcHeaderMax) } : {}),
      grpcTimeoutOffsetMs: grpcOffset ? durationMs(grpcOffset) : 0,
      maxStreamDurationMs: stream?.maxStreamDuration ? durationMs(stream.maxStreamDuration) : 0,
      ...(action.idleTimeout ? { idleTimeoutMs: durationMs(action.idleTimeout) } : {}),
      ...(retry ? { retryPolicy: retry.value } : {}),
      ...(hash.value ? { hashPolicy: hash.value } : {}),
      mirrors: mirrors.value,
      ...(pathRewrite ? { pathRewrite } : {}),
      ...(hostRewrite ? { hostRewrite } : {}),
      appendXForwardedHost: action.appendXForwardedHost,
      upgrades,
    },
  };
}
