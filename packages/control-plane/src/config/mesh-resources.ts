// Picks the documents of an apply or delete that the store keeps, and gives each its full key.
import { findKind, parseApiVersion, type Finding, type ValidatedResource } from '@heddle/api';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { formatKey, type ResourceKey } from '../store/resource-key.ts';

export interface SourcedResource {
  readonly key: ResourceKey;
  readonly apiVersion: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line: number;
}

/**
 * IstioOperator files often carry no name; unnamed ones share this name, so re-applying one replaces the
 * previous one, as re-running an install does.
 */
export const UNNAMED_RESOURCE_NAME = 'default';

/**
 * Keeps mesh resources (non-mesh documents already have their Info finding and are skipped), resolves the
 * namespace (`defaultNamespace` when absent, '' for cluster-scoped kinds), and keeps the first of a resource
 * defined twice, reporting the second as an Error when `findings` is given.
 */
export function collectMeshResources(
  resources: readonly ValidatedResource[],
  defaultNamespace: string,
  findings?: Finding[],
): SourcedResource[] {
  const out: SourcedResource[] = [];
  const seen = new Map<string, SourcedResource>();
  for (const resource of resources) {
    if (!resource.mesh) continue;
    const key = keyFor(resource, defaultNamespace);
    const id = formatKey(key);
    const first = seen.get(id);
    if (first) {
      findings?.push({
        code: CONTROL_PLANE_CODES.APPLY_DUPLICATE_RESOURCE,
        level: 'Error',
        message: `${id} is already defined at ${first.file}:${first.line}; define each resource once per apply`,
        file: resource.file,
        line: resource.line,
        resource: resource.ref,
      });
      continue;
    }
    const sourced = {
      key,
      apiVersion: resource.apiVersion,
      object: resource.object,
      file: resource.file,
      line: resource.line,
    };
    seen.set(id, sourced);
    out.push(sourced);
  }
  return out;
}

function keyFor(resource: ValidatedResource, defaultNamespace: string): ResourceKey {
  const metadata = resource.object.metadata;
  const fields =
    metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : {};
  const clusterScoped = findKind(parseApiVersion(resource.apiVersion).group, resource.kind)?.clusterScoped;
  const namespace = typeof fields.namespace === 'string' ? fields.namespace : defaultNamespace;
  return {
    kind: resource.kind,
    namespace: clusterScoped ? '' : namespace,
    name: typeof fields.name === 'string' ? fields.name : UNNAMED_RESOURCE_NAME,
  };
}
