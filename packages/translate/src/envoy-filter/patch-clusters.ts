// CLUSTER patches: merge into or remove the clusters a patch matches, then add new ones. Clusters are matched
// by name, or by the port, subset and service host their Istio name (`outbound|<port>|<subset>|<host>`)
// carries; an inbound cluster (`inbound|<port>||`) stands for the services the proxy's workload serves.
import { clone } from '@bufbuild/protobuf';
import { parseClusterName } from '@heddle/xds';
import { ClusterSchema, type Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ProxyNode } from '../model/proxy-node.ts';
import { mergeMessage } from './merge-message.ts';
import { contextMatches, type ObjectContext, type Patch, type PatchSet } from './patch-model.ts';

export interface ClusterScope {
  readonly node: ProxyNode;
  /** Host names of the services the proxy's own workload serves, for inbound clusters. */
  readonly ownServices: () => readonly string[];
}

function clusterContext(node: ProxyNode, cluster: Cluster): ObjectContext {
  if (node.role === 'router') return 'GATEWAY';
  return cluster.name.startsWith('inbound|') ? 'SIDECAR_INBOUND' : 'SIDECAR_OUTBOUND';
}

function clusterMatches(patch: Patch, cluster: Cluster, scope: ClusterScope): boolean {
  const match = patch.match?.cluster;
  if (!match) return true;
  if (match.name) return match.name === cluster.name;
  const parsed = parseClusterName(cluster.name);
  if (match.subset && match.subset !== (parsed?.subset ?? '')) return false;
  if (match.service) {
    const hosts = parsed?.direction === 'inbound' ? scope.ownServices() : [parsed?.host ?? ''];
    if (!hosts.includes(match.service)) return false;
  }
  if (match.portNumber && match.portNumber !== (parsed?.port ?? 0)) return false;
  return true;
}

/** The patched clusters; `skip` reports an ADD that would duplicate a cluster name. */
export function patchClusters(
  clusters: readonly Cluster[],
  patches: PatchSet,
  scope: ClusterScope,
  skip: (patch: Patch, reason: string) => void,
): Cluster[] {
  const kept: Cluster[] = [];
  for (const original of clusters) {
    const context = clusterContext(scope.node, original);
    const applicable = patches.CLUSTER.filter(
      (p) => p.operation !== 'ADD' && contextMatches(p, context) && clusterMatches(p, original, scope),
    );
    if (applicable.length === 0) {
      kept.push(original);
      continue;
    }
    const cluster = clone(ClusterSchema, original);
    let removed = false;
    for (const patch of applicable) {
      if (patch.operation === 'REMOVE') {
        removed = true;
        break;
      }
      if (patch.value) mergeMessage(ClusterSchema, cluster, clone(ClusterSchema, patch.value));
    }
    if (!removed) kept.push(cluster);
  }
  const names = new Set(kept.map((c) => c.name));
  const contexts: readonly ObjectContext[] =
    scope.node.role === 'router' ? ['GATEWAY'] : ['SIDECAR_OUTBOUND', 'SIDECAR_INBOUND'];
  for (const patch of patches.CLUSTER) {
    if (patch.operation !== 'ADD' || !patch.value) continue;
    if (!contexts.some((context) => contextMatches(patch, context))) continue;
    if (patch.value.name === '' || names.has(patch.value.name)) {
      skip(
        patch,
        patch.value.name === ''
          ? 'the cluster to add has no name'
          : `a cluster named "${patch.value.name}" already exists`,
      );
      continue;
    }
    names.add(patch.value.name);
    kept.push(clone(ClusterSchema, patch.value));
  }
  return kept;
}
