// The overview's figures from what the control plane holds: proxies by sync state, stored config by kind,
// registry sizes, finding counts, mesh-wide inbound traffic (reporter=destination) and the scrape status.
import type { DashboardOverview, DashboardFindings, ScrapeStatus } from '@heddle/api';
import type { WindowIncreases } from '../mesh-metrics/metrics-history.ts';
import { TrafficTotals } from '../mesh-metrics/traffic-totals.ts';
import type { SyncStatus } from '../status/proxy-status.ts';

export interface OverviewInput {
  readonly generatedAt: string;
  readonly controlPlane: DashboardOverview['controlPlane'];
  readonly proxySyncs: readonly SyncStatus[];
  readonly kinds: readonly string[];
  readonly services: number;
  readonly workloads: number;
  readonly findings: DashboardFindings['findings'];
  readonly windowSeconds: number;
  readonly traffic: WindowIncreases;
  readonly scrape: ScrapeStatus;
}

export function buildOverview(input: OverviewInput): DashboardOverview {
  const byKind: Record<string, number> = {};
  for (const kind of [...input.kinds].sort()) byKind[kind] = (byKind[kind] ?? 0) + 1;
  const inbound = new TrafficTotals();
  for (const { series, value } of input.traffic.increases) {
    if (
      series.labels.reporter === 'destination' &&
      (series.family === 'requests' || series.family === 'duration')
    )
      inbound.add(series, value);
  }
  const count = (status: SyncStatus): number => input.proxySyncs.filter((s) => s === status).length;
  const level = (name: string): number => input.findings.filter((f) => f.level === name).length;
  return {
    generatedAt: input.generatedAt,
    controlPlane: input.controlPlane,
    proxies: {
      total: input.proxySyncs.length,
      synced: count('SYNCED'),
      stale: count('STALE'),
      nacked: count('NACKED'),
      notSent: count('NOT SENT'),
    },
    config: { total: input.kinds.length, byKind },
    services: input.services,
    workloads: input.workloads,
    findings: { errors: level('Error'), warnings: level('Warning'), infos: level('Info') },
    traffic: { ...inbound.figures(input.traffic.seconds), windowSeconds: input.windowSeconds },
    scrape: input.scrape,
  };
}
