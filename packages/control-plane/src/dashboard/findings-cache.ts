// The findings of the stored config and the registry, computed again only when the store's revision or the
// registry's facts moved: the dashboard polls the overview every few seconds, and validating every stored
// resource each time would cost more than it tells. Registrations change the registry without a store write,
// so the facts themselves are part of the key.
import type { DashboardFindings } from '@heddle/api';
import type { ServiceRegistry } from '../registry/registry.ts';
import type { ConfigStore } from '../store/config-store.ts';
import { configFindings, type RegistryFacts } from './config-findings.ts';

type Findings = DashboardFindings['findings'];

export function cachedConfigFindings(
  store: ConfigStore,
  registry: Pick<ServiceRegistry, 'services' | 'workloads'>,
): () => Promise<Findings> {
  let cached: { key: string; findings: Findings } | undefined;
  return async () => {
    const revision = await store.revision();
    const facts = registryFacts(registry);
    const key = `${revision} ${JSON.stringify(facts)}`;
    if (cached?.key === key) return cached.findings;
    const findings = configFindings((await store.list()).items, facts);
    // A write between revision() and list() only costs one more computation on the next read.
    cached = { key, findings };
    return findings;
  };
}

function registryFacts(registry: Pick<ServiceRegistry, 'services' | 'workloads'>): RegistryFacts {
  return {
    hosts: registry.services().map((service) => service.hostname),
    workloads: registry.workloads().map(({ namespace, labels }) => ({ namespace, labels })),
  };
}
