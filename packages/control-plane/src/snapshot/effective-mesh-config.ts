// The meshConfig in force: Istio's defaults, then every IstioOperator's spec.meshConfig, then the `istio`
// ConfigMap's `mesh` key in the control-plane namespace.
import { applyMeshConfig, DEFAULT_MESH_CONFIG, type MeshConfig } from '@heddle/api';
import { parse } from 'yaml';
import type { StoredResource } from '../store/config-store.ts';
import { isRecord } from '../store/resource-key.ts';

/** Where istiod reads its `istio` ConfigMap; also the default meshConfig rootNamespace. */
export const CONTROL_PLANE_NAMESPACE = 'istio-system';
export const MESH_CONFIG_MAP_NAME = 'istio';

export interface EffectiveMeshConfig {
  readonly meshConfig: MeshConfig;
  /** The resources that contributed, lowest precedence first, as `Kind namespace/name`. */
  readonly sources: readonly string[];
  /** Contributions that could not be read (the apply-time validation normally prevents these). */
  readonly problems: readonly string[];
}

/**
 * Precedence, lowest first: DEFAULT_MESH_CONFIG; IstioOperator spec.meshConfig (in namespace/name order, as the
 * store lists them); the `istio` ConfigMap. The ConfigMap is last because it is what istiod itself reads at
 * runtime: `istioctl install` renders the operator's meshConfig into it, and an operator who edits it later means
 * the edit to win. Fields merge as Istio merges them (maps recursively, lists replace, extensionProviders by name).
 */
export function effectiveMeshConfig(
  resources: readonly StoredResource[],
  controlPlaneNamespace: string = CONTROL_PLANE_NAMESPACE,
): EffectiveMeshConfig {
  let meshConfig = DEFAULT_MESH_CONFIG;
  const sources: string[] = [];
  const problems: string[] = [];
  for (const operator of resources.filter((r) => r.kind === 'IstioOperator')) {
    const overlay = isRecord(operator.spec) ? operator.spec.meshConfig : undefined;
    if (overlay === undefined) continue;
    const name = `IstioOperator ${operator.metadata.namespace}/${operator.metadata.name}`;
    if (!isRecord(overlay)) {
      problems.push(`${name}: spec.meshConfig is not a map; ignored`);
      continue;
    }
    meshConfig = applyMeshConfig(meshConfig, overlay);
    sources.push(name);
  }
  const configMap = resources.find(
    (r) =>
      r.kind === 'ConfigMap' &&
      r.metadata.name === MESH_CONFIG_MAP_NAME &&
      r.metadata.namespace === controlPlaneNamespace,
  );
  const text = configMap && isRecord(configMap.data) ? configMap.data.mesh : undefined;
  if (configMap && typeof text === 'string') {
    const name = `ConfigMap ${controlPlaneNamespace}/${MESH_CONFIG_MAP_NAME}`;
    const overlay = parseMeshText(text);
    if (overlay === undefined) problems.push(`${name}: data.mesh is not a YAML map; ignored`);
    else {
      meshConfig = applyMeshConfig(meshConfig, overlay);
      sources.push(name);
    }
  }
  return { meshConfig, sources, problems };
}

function parseMeshText(text: string): MeshConfig | undefined {
  try {
    const value: unknown = parse(text);
    if (value === null || value === undefined) return {};
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
