// Minimal local view of Istio's ServiceEntry spec, with Istio's defaults applied, until the typed model lands.
import type { Resolution } from '@heddle/translate';
import {
  readCount,
  readList,
  readRecord,
  readString,
  readStringList,
  readStringMap,
} from '../read-fields.ts';
import { readWorkloadEntrySpec, type WorkloadEntrySpec } from './workload-entry-spec.ts';

export interface ServiceEntryPortSpec {
  readonly number: number;
  readonly name: string;
  readonly protocol?: string;
  readonly targetPort?: number;
}

export interface ServiceEntrySpec {
  readonly hosts: readonly string[];
  readonly addresses: readonly string[];
  readonly ports: readonly ServiceEntryPortSpec[];
  /** Istio's default is MESH_EXTERNAL (enum value 0). */
  readonly location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  /** Istio's default is NONE (enum value 0). */
  readonly resolution: Resolution;
  readonly endpoints: readonly WorkloadEntrySpec[];
  readonly workloadSelector?: Readonly<Record<string, string>>;
  readonly exportTo: readonly string[];
}

const RESOLUTIONS: readonly Resolution[] = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN'];

export function readServiceEntrySpec(value: unknown): ServiceEntrySpec {
  const spec = readRecord(value);
  const resolution = RESOLUTIONS.find((r) => r === spec.resolution) ?? 'NONE';
  const selector = spec.workloadSelector === undefined ? undefined : readRecord(spec.workloadSelector);
  return {
    hosts: readStringList(spec.hosts),
    addresses: readStringList(spec.addresses),
    ports: readList(spec.ports).flatMap(readPort),
    location: spec.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' : 'MESH_EXTERNAL',
    resolution,
    endpoints: readList(spec.endpoints).map(readWorkloadEntrySpec),
    ...(selector ? { workloadSelector: readStringMap(selector.labels) } : {}),
    exportTo: readStringList(spec.exportTo),
  };
}

function readPort(value: unknown): ServiceEntryPortSpec[] {
  const port = readRecord(value);
  const number = readCount(port.number);
  if (number === undefined) return [];
  const protocol = readString(port.protocol);
  const targetPort = readCount(port.targetPort);
  return [
    {
      number,
      name: readString(port.name) ?? '',
      ...(protocol !== undefined ? { protocol } : {}),
      ...(targetPort !== undefined ? { targetPort } : {}),
    },
  ];
}
