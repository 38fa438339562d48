// The proxy-status table the way `istioctl proxy-status` prints it: one row per proxy, one column per xDS type.
import type { ProxySyncStatus, SyncStatus } from '../../client/control-plane-types.ts';

/** The columns, in istioctl's order. */
export const XDS_COLUMNS = ['CDS', 'LDS', 'EDS', 'RDS', 'SDS'] as const;

export interface ProxyCell {
  readonly status: SyncStatus | '';
  /** The proxy's last refusal of this type, shown as a tooltip. */
  readonly error?: string;
}

export interface ProxyRow {
  /** istioctl's NAME: the node id's `<name>.<namespace>` part. */
  readonly name: string;
  readonly id: string;
  readonly namespace: string;
  readonly workload: string;
  readonly cells: Readonly<Record<(typeof XDS_COLUMNS)[number], ProxyCell>>;
  readonly overall: SyncStatus;
  readonly controlPlane: string;
  readonly version: string;
}

/** Worst first: one NACK or one unanswered push outweighs every SYNCED type. */
const SEVERITY: readonly SyncStatus[] = ['NACKED', 'STALE', 'SYNCED', 'NOT SENT'];

export function proxyName(nodeId: string): string {
  const parts = nodeId.split('~');
  return parts.length === 4 && parts[2] ? parts[2] : nodeId;
}

export function overallStatus(statuses: readonly SyncStatus[]): SyncStatus {
  return SEVERITY.find((status) => statuses.includes(status)) ?? 'NOT SENT';
}

export function buildProxyRows(statuses: readonly ProxySyncStatus[]): ProxyRow[] {
  return statuses
    .map((status) => {
      const cell = (type: string): ProxyCell => {
        const found = status.types.find((candidate) => candidate.type === type);
        if (!found) return { status: '' };
        return {
          status: found.status,
          ...(found.lastError ? { error: found.lastError.message } : {}),
        };
      };
      return {
        name: proxyName(status.proxy),
        id: status.proxy,
        namespace: status.namespace,
        workload: status.workload,
        cells: {
          CDS: cell('CDS'),
          LDS: cell('LDS'),
          EDS: cell('EDS'),
          RDS: cell('RDS'),
          SDS: cell('SDS'),
        },
        overall: overallStatus(status.types.map((type) => type.status)),
        controlPlane: status.controlPlane,
        version: status.version ?? '',
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Counts of proxies by their overall status, for the overview cards when the dashboard API is unavailable. */
export function countByStatus(rows: readonly ProxyRow[]): Record<SyncStatus, number> {
  const counts: Record<SyncStatus, number> = { SYNCED: 0, STALE: 0, NACKED: 0, 'NOT SENT': 0 };
  for (const row of rows) counts[row.overall]++;
  return counts;
}
