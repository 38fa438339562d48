// A worker's stats as plain data for the IPC channel, and their merge with the main process's own: counters
// and gauges are summed, histograms add bucket by bucket — what one process would have counted.
import type { StatsSnapshot, StatsStore } from '../stats/stats-store.ts';
import type { StatTag } from '../stats/tag-extraction.ts';

type Tags = readonly StatTag[];

export interface WireStats {
  readonly counters: readonly (readonly [name: string, tags: Tags, value: number])[];
  readonly gauges: readonly (readonly [name: string, tags: Tags, value: number, used: boolean])[];
  readonly histograms: readonly (readonly [
    name: string,
    tags: Tags,
    bounds: readonly number[],
    counts: readonly number[],
    sum: number,
    count: number,
  ])[];
  readonly customNamespaces: readonly string[];
}

export function statsToWire(snapshot: StatsSnapshot): WireStats {
  return {
    counters: snapshot.counters.map((e) => [e.name, e.tags, e.stat.value] as const),
    gauges: snapshot.gauges.map((e) => [e.name, e.tags, e.stat.value, e.stat.used] as const),
    histograms: snapshot.histograms.map(
      (e) => [e.name, e.tags, e.stat.bounds, [...e.stat.counts], e.stat.sum, e.stat.count] as const,
    ),
    customNamespaces: snapshot.customNamespaces,
  };
}

/** Adds one process's stats into `into`. */
export function addWireStats(into: StatsStore, stats: WireStats): void {
  for (const namespace of stats.customNamespaces) into.registerCustomNamespace(namespace);
  for (const [name, tags, value] of stats.counters) into.counter(name, record(tags)).inc(value);
  for (const [name, tags, value, used] of stats.gauges) {
    const gauge = into.gauge(name, record(tags));
    if (used) gauge.add(value);
  }
  for (const [name, tags, bounds, counts, sum, count] of stats.histograms) {
    const histogram = into.histogram(name, record(tags), { buckets: bounds });
    // Bounds come from the same code in every process; a mismatch would be a bug, and is left out, not mixed.
    if (histogram.counts.length !== counts.length) continue;
    for (const [index, inBucket] of counts.entries())
      histogram.counts[index] = (histogram.counts[index] as number) + inBucket;
    histogram.sum += sum;
    histogram.count += count;
  }
}

function record(tags: Tags): Readonly<Record<string, string>> | undefined {
  return tags.length === 0 ? undefined : Object.fromEntries(tags);
}
