// Builds the Cluster resources for one proxy: outbound clusters for every service in scope (each port,
// each subset), inbound clusters for a sidecar's own ports, and BlackHoleCluster and PassthroughCluster.
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { destinationsFor, ruleFor } from './destination.ts';
import { buildInboundClusters } from './inbound-clusters.ts';
import { buildOutboundCluster } from './outbound-clusters.ts';
import { checkRule } from './rule-checks.ts';
import { servicesInScope } from './service-scope.ts';
import { blackHoleCluster, passthroughCluster } from './special-clusters.ts';

export function buildClusters(ctx: TranslationContext): Cluster[] {
  const mesh = ctx.index.snapshot.meshConfig;
  const clusters: Cluster[] = [];
  for (const service of servicesInScope(ctx)) {
    const rule = ruleFor(ctx, service);
    if (rule) checkRule(ctx, service, rule);
    for (const dest of destinationsFor(ctx, service)) clusters.push(buildOutboundCluster(ctx, dest));
  }
  clusters.push(...buildInboundClusters(ctx), blackHoleCluster(mesh), passthroughCluster(mesh));
  return clusters;
}
