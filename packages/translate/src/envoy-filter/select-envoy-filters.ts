// Which EnvoyFilters apply to one proxy, in Istio's order: the root namespace's (mesh-wide) first, then the
// proxy's namespace's; within each, by `priority`, then creation time, then name.
import type { EnvoyFilter } from '@heddle/api';
import type { ProxyNode } from '../model/proxy-node.ts';
import { targetRefAttaches } from '../security/policy/policy-targets.ts';
import { labelsMatch } from '../snapshot/host-names.ts';

function namespaceOf(filter: EnvoyFilter): string {
  return filter.metadata.namespace ?? 'default';
}

function selects(filter: EnvoyFilter, node: ProxyNode, rootNamespace: string): boolean {
  const refs = filter.spec.targetRefs ?? [];
  if (refs.length > 0) {
    // Gateway and GatewayClass targets pick gateway proxies; Service targets are for waypoints in Istio,
    // and Heddle has no waypoints, so they pick nothing.
    const point = { node, rootNamespace, services: () => [] };
    return refs.some((ref) => targetRefAttaches(ref, namespaceOf(filter), point));
  }
  return labelsMatch(filter.spec.workloadSelector?.labels, node.labels);
}

function byPriorityThenAge(a: EnvoyFilter, b: EnvoyFilter): number {
  return (
    (a.spec.priority ?? 0) - (b.spec.priority ?? 0) ||
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

export function envoyFiltersFor(
  filters: readonly EnvoyFilter[],
  node: ProxyNode,
  rootNamespace: string,
): EnvoyFilter[] {
  const inNamespace = (namespace: string): EnvoyFilter[] =>
    filters
      .filter((f) => namespaceOf(f) === namespace && selects(f, node, rootNamespace))
      .sort(byPriorityThenAge);
  const root = inNamespace(rootNamespace);
  return node.namespace === rootNamespace ? root : [...root, ...inNamespace(node.namespace)];
}
