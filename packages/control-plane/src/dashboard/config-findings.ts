// The findings `heddle analyze` reports for the stored config and the registry: the stored resources
// validated once more (the store holds what validation accepted, so what remains are warnings and infos, and
// errors of rules added since), then the cross-resource analyzers (IST0101, IST0109, IST0127) over the same
// resources with the registry's services and workloads. Locations point at no file, so only the resource is
// named; codes are printed as `heddle analyze` prints them (Istio's where one matches).
import { compareFindings, formatResourceRef, validateText, type DashboardFindings } from '@heddle/api';
import {
  crossReferenceFindings,
  fromStoredResource,
  printedCode,
  type AnalysisWorkload,
} from '@heddle/translate';
import { stringify } from 'yaml';
import type { StoredResource } from '../store/config-store.ts';

/** What the analyzers read beyond the stored config; `heddle analyze` gets the same from the live API. */
export interface RegistryFacts {
  /** Host names of the registry's services (GET /debug/registryz). */
  readonly hosts: readonly string[];
  /** Every workload the registry knows (GET /apis/v1/workloads), by namespace and labels. */
  readonly workloads: readonly AnalysisWorkload[];
}

export function configFindings(
  items: readonly StoredResource[],
  registry: RegistryFacts,
): DashboardFindings['findings'] {
  if (items.length === 0) return [];
  const validation = validateText([{ name: 'control plane', text: yamlDocuments(items) }]);
  const analyzed = crossReferenceFindings({
    resources: items.map(fromStoredResource),
    registryHosts: registry.hosts,
    workloads: registry.workloads,
  });
  return [...validation.findings, ...analyzed].sort(compareFindings).map((finding) => ({
    code: printedCode(finding.code),
    level: finding.level,
    message: finding.message,
    ...(finding.resource ? { resource: formatResourceRef(finding.resource) } : {}),
    ...(finding.field !== undefined ? { field: finding.field } : {}),
  }));
}

function yamlDocuments(items: readonly StoredResource[]): string {
  return items
    .map(({ apiVersion, kind, metadata, spec }) =>
      stringify({ apiVersion, kind, metadata, spec }, { lineWidth: 0, aliasDuplicateObjects: false }),
    )
    .join('---\n');
}
