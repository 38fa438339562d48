// Builds a MeshSnapshot from Istio YAML the way the control plane does: validate, build services, sort kinds.
import {
  applyMeshConfig,
  DEFAULT_MESH_CONFIG,
  formatResourceRef,
  validateText,
  type IstioResource,
  type MeshConfig,
} from '@heddle/api';
import { buildServices, type ConfigObject } from '@heddle/control-plane';
import { snapshotFromResources, type MeshSnapshot } from '@heddle/translate';

export interface SnapshotFromYamlOptions {
  readonly meshConfig?: MeshConfig;
  readonly credentials?: readonly string[];
  readonly file?: string;
}

/** Throws with every Error finding when the YAML is not valid, so a test never runs on a half-read input. */
export function snapshotFromYaml(text: string, options: SnapshotFromYamlOptions = {}): MeshSnapshot {
  const file = options.file ?? 'input.yaml';
  const result = validateText([{ name: file, text }]);
  const errors = result.findings.filter((f) => f.level === 'Error');
  if (errors.length > 0) {
    const lines = errors.map(
      (f) =>
        `${f.file}:${f.line ?? '?'} ${f.resource ? formatResourceRef(f.resource) : ''} ${f.field ?? ''} ${f.code}: ${f.message}`,
    );
    throw new Error(`invalid test input:\n${lines.join('\n')}`);
  }
  const objects = result.resources
    .filter((r) => r.mesh)
    .map((r): { kind: string; metadata: Record<string, unknown>; spec: unknown } => {
      const metadata = (r.object.metadata ?? {}) as Record<string, unknown>;
      return {
        ...r.object,
        kind: r.kind,
        metadata: {
          ...metadata,
          namespace: r.ref.namespace ?? metadata.namespace ?? 'default',
        },
        spec: r.object.spec ?? {},
      };
    });
  const ofKind = (kind: string): ConfigObject[] =>
    objects.filter((o) => o.kind === kind) as unknown as ConfigObject[];
  const services = buildServices({
    serviceEntries: ofKind('ServiceEntry'),
    workloadEntries: ofKind('WorkloadEntry'),
    services: ofKind('Service'),
    registered: [],
  });
  let meshConfig = options.meshConfig ?? DEFAULT_MESH_CONFIG;
  for (const operator of objects.filter((o) => o.kind === 'IstioOperator')) {
    const overlay = (operator.spec as { meshConfig?: MeshConfig }).meshConfig;
    if (overlay) meshConfig = applyMeshConfig(meshConfig, overlay);
  }
  return snapshotFromResources(objects as unknown as IstioResource[], services, {
    meshConfig,
    credentials: new Set(options.credentials ?? []),
  });
}
