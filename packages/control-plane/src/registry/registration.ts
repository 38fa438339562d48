// A running workload announcing itself (`heddle run`, or auto-registration from a WorkloadGroup).
import { workloadFromSpec } from './from-workload-entry.ts';
import type { WorkloadInstance } from './workload.ts';

export interface WorkloadRegistration {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  /** Port per service port name, as in a WorkloadEntry. */
  readonly ports: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  /** `default` when absent. */
  readonly serviceAccount?: string;
  /** `region/zone/subzone`. */
  readonly locality?: string;
  readonly network?: string;
  readonly weight?: number;
}

/** A registered workload runs beside a Heddle sidecar, so it accepts mTLS unless its tlsMode label says not. */
export function workloadFromRegistration(
  registration: WorkloadRegistration,
  healthy: boolean,
): WorkloadInstance {
  const { name, namespace, ...spec } = registration;
  return workloadFromSpec(spec, { name, namespace, origin: 'registered', healthy, defaultTlsMode: 'istio' });
}
