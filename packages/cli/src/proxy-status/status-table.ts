// istioctl proxy-status's table: one row per connected proxy with the sync state of each xDS type.
import type { ProxyStatus } from '@heddle/control-plane';
import { formatTable, type TableRow } from '../output/format-table.ts';

export const STATUS_HEADER: TableRow = [
  'NAME',
  'CLUSTER',
  'CDS',
  'LDS',
  'EDS',
  'RDS',
  'ECDS',
  'ISTIOD',
  'VERSION',
];

/** Heddle has no cluster registry yet: every proxy belongs to the local one. */
const CLUSTER = 'local';

export function statusTable(statuses: readonly ProxyStatus[]): string {
  const names = statuses.map(displayName);
  // `workload.namespace` is what proxy-config accepts; two proxies of one workload are told apart by node id.
  const rows = statuses.map((status, index) => {
    const name = names[index] as string;
    const unique = names.indexOf(name) === names.lastIndexOf(name);
    return [
      unique ? name : status.proxy,
      CLUSTER,
      typeStatus(status, 'CDS'),
      typeStatus(status, 'LDS'),
      typeStatus(status, 'EDS'),
      typeStatus(status, 'RDS'),
      'NOT SENT',
      status.controlPlane,
      status.version ?? '-',
    ];
  });
  rows.sort((a, b) => compare(a[0] ?? '', b[0] ?? ''));
  return formatTable(STATUS_HEADER, rows);
}

function displayName(status: ProxyStatus): string {
  return status.workload && status.namespace ? `${status.workload}.${status.namespace}` : status.proxy;
}

function typeStatus(status: ProxyStatus, type: string): string {
  return status.types.find((entry) => entry.type === type)?.status ?? 'NOT SENT';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
