// Every mesh service from the registry's inputs, in one pure pass, sorted for deterministic output.
import type { MeshService } from '@heddle/translate';
import { compareStrings } from '../store/resource-key.ts';
import { serviceFromKubernetesService } from './from-kubernetes-service.ts';
import { servicesFromServiceEntry } from './from-service-entry.ts';
import { workloadFromEntry } from './from-workload-entry.ts';
import type { ConfigObject } from './specs/config-object.ts';
import type { WorkloadInstance } from './workload.ts';

export interface RegistrySources {
  readonly serviceEntries: readonly ConfigObject[];
  readonly workloadEntries: readonly ConfigObject[];
  /** v1 Service manifests. */
  readonly services: readonly ConfigObject[];
  readonly registered: readonly WorkloadInstance[];
}

export interface BuildServicesOptions {
  readonly domainSuffix?: string;
  /** Health reported from outside (health checks), by `namespace/name`; wins over the WorkloadEntry's status. */
  readonly health?: ReadonlyMap<string, boolean>;
}

export function collectWorkloads(
  sources: RegistrySources,
  options: BuildServicesOptions = {},
): WorkloadInstance[] {
  const entries = sources.workloadEntries.map((entry) => {
    const workload = workloadFromEntry(entry);
    const healthy = options.health?.get(`${workload.namespace}/${workload.name}`);
    return healthy === undefined ? workload : { ...workload, healthy };
  });
  return [...entries, ...sources.registered];
}

export function buildServices(sources: RegistrySources, options: BuildServicesOptions = {}): MeshService[] {
  const workloads = collectWorkloads(sources, options);
  return [
    ...sources.serviceEntries.flatMap((entry) => servicesFromServiceEntry(entry, workloads)),
    ...sources.services.map((service) =>
      serviceFromKubernetesService(service, workloads, options.domainSuffix),
    ),
  ].sort(compareServices);
}

/** Hostname first (the order the translator emits); namespace and origin break ties between definitions. */
export function compareServices(a: MeshService, b: MeshService): number {
  return (
    compareStrings(a.hostname, b.hostname) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.origin, b.origin)
  );
}
