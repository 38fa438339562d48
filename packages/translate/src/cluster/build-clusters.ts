// Builds the Cluster resources for one proxy.
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export function buildClusters(_ctx: TranslationContext): Cluster[] {
  return [];
}
