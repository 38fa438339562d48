// The proxyless gRPC generator (Istio's `grpc` generator): listeners, routes, clusters and endpoints in the
// subset of xDS that @grpc/grpc-js-xds and other gRPC clients accept.
import { create } from '@bufbuild/protobuf';
import {
  ClusterLoadAssignmentSchema,
  type Cluster,
  type ClusterLoadAssignment,
  type Listener,
  type RouteConfiguration,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { grpcCluster, grpcDestinations, usesLogicalDns } from './grpc-clusters.ts';
import { grpcLoadAssignment } from './grpc-endpoints.ts';
import { buildGrpcListeners } from './grpc-listeners.ts';
import { buildGrpcRoutes } from './grpc-routes.ts';
import { grpcTargets } from './grpc-targets.ts';

export interface GrpcResources {
  readonly listeners: Listener[];
  readonly routes: RouteConfiguration[];
  readonly clusters: Cluster[];
  readonly endpoints: ClusterLoadAssignment[];
}

/** A rule or service feeds many targets and clusters; each warning is reported once. */
function onceEach(ctx: TranslationContext): TranslationContext {
  const seen = new Set<string>();
  return {
    ...ctx,
    warn: (warning) => {
      const key = `${warning.code}\u0000${warning.resource ?? ''}\u0000${warning.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.warn(warning);
    },
  };
}

const isEds = (cluster: Cluster): boolean =>
  cluster.clusterDiscoveryType.case === 'type' &&
  cluster.clusterDiscoveryType.value === Cluster_DiscoveryType.EDS;

export function buildGrpcResources(context: TranslationContext): GrpcResources {
  const ctx = onceEach(context);
  const targets = grpcTargets(ctx);
  const built = grpcDestinations(ctx, targets).map((dest) => ({ dest, cluster: grpcCluster(ctx, dest) }));
  const endpoints = built
    .filter(({ cluster }) => isEds(cluster))
    .map(({ dest }) =>
      usesLogicalDns(dest)
        ? create(ClusterLoadAssignmentSchema, { clusterName: dest.clusterName })
        : grpcLoadAssignment(ctx, dest),
    );
  return {
    listeners: buildGrpcListeners(targets),
    routes: buildGrpcRoutes(ctx, targets),
    clusters: built.map(({ cluster }) => cluster),
    endpoints,
  };
}
