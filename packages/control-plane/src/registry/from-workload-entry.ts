// A WorkloadEntry (or a ServiceEntry's inline endpoint) as a workload: address, ports, labels, identity, locality.
import type { Locality } from '@heddle/translate';
import { readList, readRecord } from './read-fields.ts';
import type { ConfigObject } from './specs/config-object.ts';
import { readWorkloadEntrySpec, type WorkloadEntrySpec } from './specs/workload-entry-spec.ts';
import type { WorkloadInstance, WorkloadOrigin } from './workload.ts';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Istio's labels: the mTLS mode of an endpoint, and locality/network when the fields are not set. */
export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';
export const LOCALITY_LABEL = 'istio-locality';
export const NETWORK_LABEL = 'topology.istio.io/network';

/** `region/zone/subzone`; missing or empty parts are left out, and an empty string is no locality. */
export function parseLocality(value: string | undefined): Locality | undefined {
  if (!value) return undefined;
  const [region, zone, subzone] = value.split('/');
  const locality: Locality = {
    ...(region ? { region } : {}),
    ...(zone ? { zone } : {}),
    ...(subzone ? { subzone } : {}),
  };
  return Object.keys(locality).length > 0 ? locality : undefined;
}

export function workloadFromEntry(entry: ConfigObject): WorkloadInstance {
  return workloadFromSpec(readWorkloadEntrySpec(entry.spec), {
    name: entry.metadata.name,
    namespace: entry.metadata.namespace,
    origin: 'WorkloadEntry',
    healthy: reportedHealthy(entry.status),
  });
}

export interface WorkloadContext {
  readonly name: string;
  readonly namespace: string;
  readonly origin: WorkloadOrigin;
  readonly healthy?: boolean;
  /** TLS mode when neither the label nor a service account decides it. */
  readonly defaultTlsMode?: 'istio' | 'disabled';
}

export function workloadFromSpec(spec: WorkloadEntrySpec, context: WorkloadContext): WorkloadInstance {
  // Labels may carry what the fields leave out; label values cannot hold "/", so Istio separates with ".".
  const locality = parseLocality(spec.locality ?? spec.labels[LOCALITY_LABEL]?.replaceAll('.', '/'));
  const network = spec.network ?? spec.labels[NETWORK_LABEL];
  return {
    name: context.name,
    namespace: context.namespace,
    address: spec.address ?? '',
    ports: spec.ports,
    labels: spec.labels,
    serviceAccount: spec.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT,
    ...(locality ? { locality } : {}),
    ...(network ? { network } : {}),
    ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
    healthy: context.healthy ?? true,
    tlsMode: tlsModeOf(spec, context.defaultTlsMode ?? 'disabled'),
    origin: context.origin,
  };
}

/** As Istio: the tlsMode label if present, else mTLS when the entry names a service account. */
function tlsModeOf(spec: WorkloadEntrySpec, fallback: 'istio' | 'disabled'): 'istio' | 'disabled' {
  const label = spec.labels[TLS_MODE_LABEL];
  if (label !== undefined) return label === 'istio' ? 'istio' : 'disabled';
  return spec.serviceAccount !== undefined ? 'istio' : fallback;
}

/** Istio's health checks write a `Healthy` condition; without one the entry counts as healthy. */
function reportedHealthy(status: unknown): boolean {
  const healthy = readList(readRecord(status).conditions)
    .map(readRecord)
    .find((condition) => condition.type === 'Healthy');
  return healthy?.status !== 'False';
}
