// Where a sidecar sends outbound traffic for destinations it does not know (outboundTrafficPolicy).
import { create } from '@bufbuild/protobuf';
import { BLACKHOLE_CLUSTER, PASSTHROUGH_CLUSTER } from '@heddle/xds';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { buildTcpProxyFilter } from './tcp-proxy.ts';

/** The workload's Sidecar decides first, then meshConfig; Istio's default is ALLOW_ANY. */
export function outboundTrafficMode(ctx: TranslationContext): 'ALLOW_ANY' | 'REGISTRY_ONLY' {
  return (
    ctx.index.sidecarFor(ctx.node)?.spec.outboundTrafficPolicy?.mode ??
    ctx.index.snapshot.meshConfig.outboundTrafficPolicy?.mode ??
    'ALLOW_ANY'
  );
}

export function unknownDestinationCluster(ctx: TranslationContext): string {
  return outboundTrafficMode(ctx) === 'REGISTRY_ONLY' ? BLACKHOLE_CLUSTER : PASSTHROUGH_CLUSTER;
}

/** A chain that hands the connection to `cluster` unchanged; named after the cluster, as Istio does. */
export function tcpCatchAllChain(cluster: string, name = cluster): FilterChain {
  return create(FilterChainSchema, { name, filters: [buildTcpProxyFilter(cluster, cluster)] });
}
