// Minimal local view of Istio's WorkloadEntry spec (also the shape of ServiceEntry endpoints and of a
// WorkloadGroup template), until the typed model in @heddle/api lands.
import { readCount, readCountMap, readRecord, readString, readStringMap } from '../read-fields.ts';

export interface WorkloadEntrySpec {
  readonly address?: string;
  /** Port per service port name. */
  readonly ports: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly network?: string;
  /** `region/zone/subzone`. */
  readonly locality?: string;
  readonly weight?: number;
  readonly serviceAccount?: string;
}

export function readWorkloadEntrySpec(value: unknown): WorkloadEntrySpec {
  const spec = readRecord(value);
  const address = readString(spec.address);
  const network = readString(spec.network);
  const locality = readString(spec.locality);
  const weight = readCount(spec.weight);
  const serviceAccount = readString(spec.serviceAccount);
  return {
    ...(address !== undefined ? { address } : {}),
    ports: readCountMap(spec.ports),
    labels: readStringMap(spec.labels),
    ...(network !== undefined ? { network } : {}),
    ...(locality !== undefined ? { locality } : {}),
    ...(weight !== undefined ? { weight } : {}),
    ...(serviceAccount !== undefined ? { serviceAccount } : {}),
  };
}
