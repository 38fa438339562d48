// The proxy's own side of the metadata exchange, from its node (Istio's rules for the canonical service and
// revision labels), and its SPIFFE identity.
import type { JsonObject } from '@bufbuild/protobuf';
import type { ProxyNode } from '../../model/proxy-node.ts';

export function nodePeerMetadata(node: ProxyNode): JsonObject {
  const labels = node.labels;
  const app = labels.app ?? labels['app.kubernetes.io/name'];
  const version = labels.version ?? labels['app.kubernetes.io/version'];
  const canonicalService =
    labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? app ?? node.workloadName;
  const canonicalRevision =
    labels['service.istio.io/canonical-revision'] ??
    labels['app.kubernetes.io/version'] ??
    version ??
    'latest';
  return {
    workload: node.workloadName,
    namespace: node.namespace,
    ...(app !== undefined ? { app } : {}),
    ...(version !== undefined ? { version } : {}),
    canonicalService,
    canonicalRevision,
    // `clusterId`, not `cluster`: in xDS a `cluster` field names an Envoy cluster.
    clusterId: node.metadata.CLUSTER_ID ?? 'Kubernetes',
  };
}

export function nodePrincipal(node: ProxyNode, trustDomain: string): string {
  return `spiffe://${trustDomain}/ns/${node.namespace}/sa/${node.serviceAccount}`;
}
