// istioctl proxy-config cluster: SERVICE FQDN, PORT, SUBSET, DIRECTION, TYPE, DESTINATION RULE per cluster.
import type { TableRow } from '../output/format-table.ts';
import type { ConfigFilters } from './config-filters.ts';
import { istioConfigRef } from './istio-config-ref.ts';
import { text } from './json-fields.ts';

export const CLUSTER_HEADER: TableRow = [
  'SERVICE FQDN',
  'PORT',
  'SUBSET',
  'DIRECTION',
  'TYPE',
  'DESTINATION RULE',
];

export interface ClusterRow {
  readonly fqdn: string;
  readonly port: string;
  readonly subset: string;
  readonly direction: string;
  readonly type: string;
  readonly rule: string;
}

export function clusterRows(clusters: readonly unknown[]): TableRow[] {
  return clusters
    .map(describeCluster)
    .sort(compareRows)
    .map((row) => [row.fqdn, row.port, row.subset, row.direction, row.type, row.rule]);
}

export function describeCluster(cluster: unknown): ClusterRow {
  const name = text(cluster, 'name') ?? '';
  const type = text(cluster, 'type') ?? text(cluster, 'clusterType', 'name') ?? 'STATIC';
  const rule = istioConfigRef(cluster) ?? '-';
  // Istio's names: `outbound|9080|v1|reviews.shop.svc.cluster.local`, `inbound|9080||`.
  const parts = name.split('|');
  if (parts.length === 4) {
    const [direction = '', port = '', subset = '', fqdn = ''] = parts;
    return { fqdn, port, subset: subset || '-', direction, type, rule };
  }
  return { fqdn: name, port: '-', subset: '-', direction: '-', type, rule };
}

/** istioctl's cluster filters: the FQDN contains --fqdn; port, subset and direction are equal. */
export function clusterMatches(cluster: unknown, filters: ConfigFilters): boolean {
  const row = describeCluster(cluster);
  return (
    (filters.fqdn === undefined || row.fqdn.includes(filters.fqdn)) &&
    (filters.port === undefined || row.port === String(filters.port)) &&
    (filters.subset === undefined || row.subset === filters.subset) &&
    (filters.direction === undefined || row.direction === filters.direction)
  );
}

function compareRows(a: ClusterRow, b: ClusterRow): number {
  return (
    compare(a.fqdn, b.fqdn) ||
    (Number(a.port) || 0) - (Number(b.port) || 0) ||
    compare(a.subset === '-' ? '' : a.subset, b.subset === '-' ? '' : b.subset) ||
    compare(a.direction, b.direction)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
