// `heddle apply`: validate Istio YAML first, then write every mesh resource in one atomic batch, or nothing.
import { validateText, type Finding, type TextSource } from '@heddle/api';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import type { ApplyOutcome, ConfigStore, ResourceInput } from '../store/config-store.ts';
import type { ResourceKey } from '../store/resource-key.ts';
import { collectMeshResources, type SourcedResource } from './mesh-resources.ts';

export interface ApplyYamlOptions {
  /** Namespace for documents without metadata.namespace, like `kubectl apply -n`; `default` when absent. */
  readonly namespace?: string;
}

export interface AppliedResource {
  readonly key: ResourceKey;
  readonly file: string;
  readonly line: number;
  readonly outcome: ApplyOutcome;
  readonly resourceVersion: string;
}

export interface ApplyYamlResult {
  /** Set when nothing was written because of Error findings. */
  readonly code?: typeof CONTROL_PLANE_CODES.APPLY_REFUSED;
  /** Created or configured. */
  readonly applied: readonly AppliedResource[];
  readonly unchanged: readonly AppliedResource[];
  /** Every finding of validation, including the Info findings of skipped non-mesh documents. */
  readonly findings: readonly Finding[];
  /** Store revision after the apply (unchanged when refused or when nothing changed). */
  readonly revision: number;
}

export async function applyYaml(
  store: ConfigStore,
  sources: readonly TextSource[],
  options: ApplyYamlOptions = {},
): Promise<ApplyYamlResult> {
  const validation = validateText(sources);
  const findings: Finding[] = [...validation.findings];
  const resources = collectMeshResources(validation.resources, options.namespace ?? 'default', findings);
  const refused = validation.unparseable.length > 0 || findings.some((f) => f.level === 'Error');
  if (refused) {
    return {
      code: CONTROL_PLANE_CODES.APPLY_REFUSED,
      applied: [],
      unchanged: [],
      findings,
      revision: await store.revision(),
    };
  }
  if (resources.length === 0)
    return { applied: [], unchanged: [], findings, revision: await store.revision() };

  const result = await store.apply(resources.map(toInput));
  const applied: AppliedResource[] = [];
  const unchanged: AppliedResource[] = [];
  result.results.forEach(({ outcome, resource }, index) => {
    const source = resources[index] as SourcedResource;
    const entry = {
      key: source.key,
      file: source.file,
      line: source.line,
      outcome,
      resourceVersion: resource.metadata.resourceVersion,
    };
    (outcome === 'unchanged' ? unchanged : applied).push(entry);
  });
  return { applied, unchanged, findings, revision: result.revision };
}

function toInput(resource: SourcedResource): ResourceInput {
  const metadata = (resource.object.metadata ?? {}) as Record<string, unknown>;
  const { kind, namespace, name } = resource.key;
  // Name and namespace written out, so the stored object is complete whatever the file left implicit.
  return {
    ...resource.object,
    apiVersion: resource.apiVersion,
    kind,
    metadata: { ...metadata, name, namespace },
  };
}
