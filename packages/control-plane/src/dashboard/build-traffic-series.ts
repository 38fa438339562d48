// The per-step traffic of one service or workload: one point per scrape round, counting the hops into its
// graph node (the same requests its node in the graph counts). Steps without requests are null gaps.
import type { TrafficSeries } from '@heddle/api';
import type { MetricsRound } from '../mesh-metrics/metrics-history.ts';
import { serviceNodeId, trafficHops, workloadNodeId } from '../mesh-metrics/traffic-hops.ts';
import { perSecond, TrafficTotals } from '../mesh-metrics/traffic-totals.ts';

export type SeriesSubject =
  | { readonly namespace: string; readonly service: string }
  | { readonly namespace: string; readonly workload: string };

export function buildTrafficSeries(
  subject: SeriesSubject,
  rounds: readonly MetricsRound[],
  stepSeconds: number,
): TrafficSeries {
  const target = targetId(subject);
  const timestamps: number[] = [];
  const requestsPerSecond: number[] = [];
  const errorRate: (number | null)[] = [];
  const p50Ms: (number | null)[] = [];
  const p99Ms: (number | null)[] = [];
  for (const round of rounds) {
    // The first round only records where counters stand.
    if (round.sinceMs <= 0) continue;
    const totals = new TrafficTotals();
    for (const { series, value } of round.increases.values()) {
      if (series.family === 'tcpSent' || series.family === 'tcpReceived') continue;
      if (trafficHops(series).some((hop) => hop.target.id === target)) totals.add(series, value);
    }
    const seconds = round.sinceMs / 1000;
    const figures = totals.figures(seconds);
    timestamps.push(Math.round(round.at / 1000));
    requestsPerSecond.push(perSecond(totals.requests, seconds));
    errorRate.push(totals.requests > 0 ? figures.errorRate : null);
    p50Ms.push(figures.p50Ms ?? null);
    p99Ms.push(figures.p99Ms ?? null);
  }
  return {
    namespace: subject.namespace,
    ...('service' in subject ? { service: serviceHost(subject) } : { workload: subject.workload }),
    stepSeconds,
    timestamps,
    requestsPerSecond,
    errorRate,
    p50Ms,
    p99Ms,
  };
}

/** A short name means the namespace's Kubernetes-style host: `product` → `product.shop.svc.cluster.local`. */
export function serviceHost(subject: { readonly namespace: string; readonly service: string }): string {
  return subject.service.includes('.')
    ? subject.service
    : `${subject.service}.${subject.namespace}.svc.cluster.local`;
}

function targetId(subject: SeriesSubject): string {
  return 'service' in subject
    ? serviceNodeId(subject.namespace, serviceHost(subject))
    : workloadNodeId(subject.namespace, subject.workload);
}
