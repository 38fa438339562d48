// A workload the registry knows (a WorkloadEntry or a running, registered workload) and how it becomes an
// endpoint of the services that select it.
import type { Locality, ServiceEndpoint } from '@heddle/translate';
import { compareStrings } from '../store/resource-key.ts';

export type WorkloadOrigin = 'WorkloadEntry' | 'registered' | 'ServiceEntry endpoint';

export interface WorkloadInstance {
  readonly name: string;
  readonly namespace: string;
  /** IP address, host name or `unix://` path. */
  readonly address: string;
  /** Port per service port name. */
  readonly ports: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly locality?: Locality;
  readonly network?: string;
  readonly weight?: number;
  readonly healthy: boolean;
  readonly tlsMode: 'istio' | 'disabled';
  readonly origin: WorkloadOrigin;
}

export const UNIX_ADDRESS_PREFIX = 'unix://';

/** Every selector label must be present with the same value; an empty selector selects everything. */
export function selects(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export function selectWorkloads(
  workloads: readonly WorkloadInstance[],
  namespace: string,
  selector: Readonly<Record<string, string>>,
): WorkloadInstance[] {
  return workloads.filter((w) => w.namespace === namespace && selects(selector, w.labels));
}

export function toEndpoint(
  workload: WorkloadInstance,
  ports: Readonly<Record<string, number>>,
): ServiceEndpoint {
  return {
    address: workload.address,
    ports,
    labels: workload.labels,
    serviceAccount: workload.serviceAccount,
    namespace: workload.namespace,
    ...(workload.origin === 'ServiceEntry endpoint' ? {} : { workloadName: workload.name }),
    ...(workload.locality ? { locality: workload.locality } : {}),
    ...(workload.network !== undefined ? { network: workload.network } : {}),
    ...(workload.weight !== undefined ? { weight: workload.weight } : {}),
    healthy: workload.healthy,
    tlsMode: workload.tlsMode,
  };
}

/** Deterministic endpoint order for golden files: address, then workload name. */
export function compareEndpoints(a: ServiceEndpoint, b: ServiceEndpoint): number {
  return compareStrings(a.address, b.address) || compareStrings(a.workloadName ?? '', b.workloadName ?? '');
}
