// The stats a scrape shows with workers: the main process's own (xDS, server, certificates) plus every
// worker's, summed; and Envoy's per-worker listener stats (`listener.<address>.worker_<id>.downstream_cx_*`),
// which show how the kernel spread connections over the workers.
import { StatsStore, type StatsSnapshot } from '../stats/stats-store.ts';
import { addWireStats, statsToWire, type WireStats } from './stats-wire.ts';

const PER_WORKER_LISTENER_STAT = /^(listener\..+)\.(downstream_cx_total|downstream_cx_active)$/;

export interface WorkerStats {
  readonly workerId: number;
  readonly stats: WireStats;
}

/** A fresh store holding the sum, which the usual renderers read. */
export function aggregateStats(own: StatsSnapshot, workers: readonly WorkerStats[]): StatsStore {
  const merged = new StatsStore();
  addWireStats(merged, statsToWire(own));
  for (const { workerId, stats } of workers) {
    addWireStats(merged, stats);
    addWireStats(merged, perWorkerListenerStats(workerId, stats));
  }
  return merged;
}

function perWorkerListenerStats(workerId: number, stats: WireStats): WireStats {
  const rename = (name: string): string | undefined => {
    const match = PER_WORKER_LISTENER_STAT.exec(name);
    if (!match || /\.worker_\d+$/.test(match[1] as string)) return undefined;
    return `${match[1] as string}.worker_${workerId}.${match[2] as string}`;
  };
  return {
    counters: stats.counters.flatMap(([name, tags, value]) => {
      const renamed = tags.length === 0 ? rename(name) : undefined;
      return renamed ? [[renamed, tags, value] as const] : [];
    }),
    gauges: stats.gauges.flatMap(([name, tags, value, used]) => {
      const renamed = tags.length === 0 ? rename(name) : undefined;
      return renamed ? [[renamed, tags, value, used] as const] : [];
    }),
    histograms: [],
    customNamespaces: [],
  };
}
