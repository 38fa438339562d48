// The router's compiled config: the Router proto's options plus what every stream of the chain shares.
import {
  RouterSchema,
  type Router,
} from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import { firstUnsupportedField } from '../../../http/routing/unsupported-fields.ts';
import type { ClusterManagerView } from '../../../upstream/cluster-view.ts';
import type { FactoryResult, FilterFactoryContext } from '../http-filter.ts';
import { RouterStats } from './router-stats.ts';

/** Envoy's default per-connection buffer limit: request bodies up to this size can be retried and mirrored. */
export const DEFAULT_RETRY_BUFFER_BYTES = 1024 * 1024;

export interface RouterShared {
  readonly clusters: ClusterManagerView;
  readonly stats: RouterStats;
  /** No `x-envoy-*` headers added (attempt count, upstream service time, original path). */
  readonly suppressEnvoyHeaders: boolean;
  readonly bufferLimit: number;
  readonly context: FilterFactoryContext;
}

const SUPPORTED = new Set([
  'dynamicStats',
  'startChildSpan',
  'suppressEnvoyHeaders',
  'strictCheckHeaders',
  'respectExpectedRqTimeout',
  'suppressGrpcRequestFailureCodeStats',
]);

export function compileRouterConfig(
  router: Router | undefined,
  context: FilterFactoryContext,
): FactoryResult<RouterShared> {
  if (router) {
    const unsupported = firstUnsupportedField(RouterSchema, router, SUPPORTED);
    if (unsupported) return { error: `router: field ${unsupported} is not supported` };
  }
  return {
    value: {
      clusters: context.clusters,
      stats: new RouterStats(context.stats),
      suppressEnvoyHeaders: router?.suppressEnvoyHeaders ?? false,
      bufferLimit: DEFAULT_RETRY_BUFFER_BYTES,
      context,
    },
  };
}
