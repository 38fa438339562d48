// Stored Istio resources grouped by kind for the Config view, filtered to one namespace when asked.
import type { StoredResource } from '../../client/control-plane-types.ts';

export interface KindGroup {
  readonly kind: string;
  readonly resources: readonly StoredResource[];
}

export function resourceId(resource: StoredResource): string {
  const { namespace, name } = resource.metadata;
  return `${resource.kind}/${namespace ? `${namespace}/` : ''}${name}`;
}

/** Kinds alphabetically; inside a kind by namespace then name. */
export function groupByKind(resources: readonly StoredResource[], namespace = ''): KindGroup[] {
  const groups = new Map<string, StoredResource[]>();
  for (const resource of resources) {
    if (namespace && resource.metadata.namespace !== namespace) continue;
    const list = groups.get(resource.kind) ?? [];
    list.push(resource);
    groups.set(resource.kind, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, list]) => ({
      kind,
      resources: list.sort(
        (a, b) =>
          a.metadata.namespace.localeCompare(b.metadata.namespace) ||
          a.metadata.name.localeCompare(b.metadata.name),
      ),
    }));
}

/** The namespaces that occur, for the filter's options. */
export function namespacesOf(values: readonly { readonly namespace: string }[]): string[] {
  return [...new Set(values.map((value) => value.namespace).filter((namespace) => namespace !== ''))].sort();
}
