// The extra columns `kubectl get` shows for Istio's CRDs (additionalPrinterColumns), read from the spec.
import type { StoredResource } from '@heddle/control-plane';

export interface PrinterColumn {
  readonly header: string;
  /** Path of the value under the resource, e.g. ['spec', 'hosts']. */
  readonly path: readonly string[];
}

const COLUMNS: Readonly<Record<string, readonly PrinterColumn[]>> = {
  VirtualService: [
    { header: 'GATEWAYS', path: ['spec', 'gateways'] },
    { header: 'HOSTS', path: ['spec', 'hosts'] },
  ],
  DestinationRule: [{ header: 'HOST', path: ['spec', 'host'] }],
  ServiceEntry: [
    { header: 'HOSTS', path: ['spec', 'hosts'] },
    { header: 'LOCATION', path: ['spec', 'location'] },
    { header: 'RESOLUTION', path: ['spec', 'resolution'] },
  ],
  WorkloadEntry: [{ header: 'ADDRESS', path: ['spec', 'address'] }],
  PeerAuthentication: [{ header: 'MODE', path: ['spec', 'mtls', 'mode'] }],
  AuthorizationPolicy: [{ header: 'ACTION', path: ['spec', 'action'] }],
};

export function printerColumns(kind: string): readonly PrinterColumn[] {
  return COLUMNS[kind] ?? [];
}

/** Strings as they are, lists and objects as compact JSON (`["reviews"]`, as kubectl), else empty. */
export function columnValue(resource: StoredResource, column: PrinterColumn): string {
  let value: unknown = resource;
  for (const key of column.path) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
