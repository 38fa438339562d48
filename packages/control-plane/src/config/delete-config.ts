// `heddle delete -f`: remove the resources some Istio YAML names, and delete by key, atomically.
import { validateText, type Finding, type TextSource } from '@heddle/api';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import type { ConfigStore } from '../store/config-store.ts';
import { formatKey, keyOfStored, type ResourceKey } from '../store/resource-key.ts';
import { collectMeshResources } from './mesh-resources.ts';

export interface DeleteYamlOptions {
  /** Namespace for documents without metadata.namespace; `default` when absent. */
  readonly namespace?: string;
}

export interface DeleteByKeyResult {
  readonly deleted: readonly ResourceKey[];
  readonly notFound: readonly ResourceKey[];
  readonly revision: number;
}

export interface DeleteYamlResult extends DeleteByKeyResult {
  /** Set when a source could not be parsed; nothing was deleted. */
  readonly code?: typeof CONTROL_PLANE_CODES.APPLY_REFUSED;
  readonly findings: readonly Finding[];
}

/**
 * Only an unparseable source refuses the delete: a resource that no longer validates must still be removable,
 * and deleting needs nothing but kind, namespace and name.
 */
export async function deleteYaml(
  store: ConfigStore,
  sources: readonly TextSource[],
  options: DeleteYamlOptions = {},
): Promise<DeleteYamlResult> {
  const validation = validateText(sources);
  const findings = validation.findings;
  if (validation.unparseable.length > 0) {
    return {
      code: CONTROL_PLANE_CODES.APPLY_REFUSED,
      deleted: [],
      notFound: [],
      findings,
      revision: await store.revision(),
    };
  }
  const resources = collectMeshResources(validation.resources, options.namespace ?? 'default');
  const result = await deleteByKey(
    store,
    resources.map((r) => r.key),
  );
  return { ...result, findings };
}

export async function deleteByKey(
  store: ConfigStore,
  keys: readonly ResourceKey[],
): Promise<DeleteByKeyResult> {
  if (keys.length === 0) return { deleted: [], notFound: [], revision: await store.revision() };
  const result = await store.delete(keys);
  const gone = new Set(result.deleted.map((r) => formatKey(keyOfStored(r))));
  return {
    deleted: keys.filter((key) => gone.has(formatKey(key))),
    notFound: keys.filter((key) => !gone.has(formatKey(key))),
    revision: result.revision,
  };
}
