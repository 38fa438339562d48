// istioctl proxy-config endpoint: ENDPOINT, STATUS, OUTLIER CHECK, CLUSTER, one row per endpoint sent.
import type { TableRow } from '../output/format-table.ts';
import { healthOf } from './endpoint-filter.ts';
import { at, integer, list, text } from './json-fields.ts';

export const ENDPOINT_HEADER: TableRow = ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'];

/**
 * The control plane knows what it sent, not what the proxy observed: outlier ejection is decided inside the
 * proxy, so that column reads "-". An endpoint sent without a health status counts as healthy (as in Envoy).
 */
export function endpointRows(assignments: readonly unknown[]): TableRow[] {
  const rows = assignments.flatMap((assignment) => {
    const cluster = text(assignment, 'clusterName') ?? '';
    return list(assignment, 'endpoints').flatMap((locality) =>
      list(locality, 'lbEndpoints').map((lbEndpoint) => {
        return [describeAddress(at(lbEndpoint, 'endpoint', 'address')), healthOf(lbEndpoint), '-', cluster];
      }),
    );
  });
  return rows.sort((a, b) => compare(a[3] ?? '', b[3] ?? '') || compare(a[0] ?? '', b[0] ?? ''));
}

function describeAddress(address: unknown): string {
  const host = text(address, 'socketAddress', 'address');
  if (host !== undefined) {
    const port = integer(address, 'socketAddress', 'portValue') ?? 0;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }
  const pipe = text(address, 'pipe', 'path');
  if (pipe !== undefined) return `unix://${pipe}`;
  const internal = text(address, 'envoyInternalAddress', 'serverListenerName');
  return internal !== undefined ? `envoy://${internal}` : '-';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
