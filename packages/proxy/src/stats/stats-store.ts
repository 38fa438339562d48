// The proxy's stats store: every stat is resolved once by name and tags into an object whose hot-path
// operation is a property update; renderers read a sorted snapshot.
import type { Counter, Gauge, StatsSink } from './stats-sink.ts';
import { HistogramStat, type Histogram } from './histogram.ts';
import type { StatTag } from './tag-extraction.ts';

export type StatTags = Readonly<Record<string, string>>;

export class CounterStat implements Counter {
  value = 0;

  inc(by = 1): void {
    this.value += by;
  }
}

export class GaugeStat implements Gauge {
  value = 0;
  /** Set once the gauge was ever written, for `?usedonly`. */
  used = false;

  set(value: number): void {
    this.value = value;
    this.used = true;
  }

  add(delta: number): void {
    this.value += delta;
    this.used = true;
  }
}

export interface StatEntry<S> {
  readonly name: string;
  /** Explicit tags given at resolution, sorted by tag name. */
  readonly tags: readonly StatTag[];
  readonly stat: S;
}

export interface StatsSnapshot {
  readonly counters: readonly StatEntry<CounterStat>[];
  readonly gauges: readonly StatEntry<GaugeStat>[];
  readonly histograms: readonly StatEntry<HistogramStat>[];
  /** Stat-name prefixes rendered without Envoy's `envoy_` Prometheus prefix (Envoy's custom stat namespaces). */
  readonly customNamespaces: readonly string[];
}

export interface HistogramOptions {
  /** Bucket upper bounds, ascending; Envoy's defaults when absent. */
  readonly buckets?: readonly number[];
}

/** A sink that also records histograms: what the telemetry filters resolve their Istio metrics from. */
export interface HistogramSink extends StatsSink {
  histogram(name: string, tags?: StatTags, options?: HistogramOptions): Histogram;
}

/** Istio's stats filter publishes under this namespace; Prometheus output strips it and adds no `envoy_`. */
export const ISTIO_CUSTOM_NAMESPACE = 'istiocustom';

export class StatsStore implements HistogramSink {
  readonly #counters = new Map<string, StatEntry<CounterStat>>();
  readonly #gauges = new Map<string, StatEntry<GaugeStat>>();
  readonly #histograms = new Map<string, StatEntry<HistogramStat>>();
  readonly #collectors = new Set<() => void>();
  readonly #namespaces = new Set<string>([ISTIO_CUSTOM_NAMESPACE]);

  counter(name: string, tags?: StatTags): CounterStat {
    return resolve(this.#counters, name, tags, () => new CounterStat());
  }

  gauge(name: string, tags?: StatTags): GaugeStat {
    return resolve(this.#gauges, name, tags, () => new GaugeStat());
  }

  histogram(name: string, tags?: StatTags, options?: HistogramOptions): HistogramStat {
    return resolve(this.#histograms, name, tags, () => new HistogramStat(options?.buckets));
  }

  /** Runs before every snapshot, to refresh stats computed on demand (memory, uptime …). */
  addCollector(collect: () => void): () => void {
    this.#collectors.add(collect);
    return () => this.#collectors.delete(collect);
  }

  /** Stats named `<namespace>.…` are exported to Prometheus as `…`, without the `envoy_` prefix. */
  registerCustomNamespace(namespace: string): void {
    this.#namespaces.add(namespace);
  }

  snapshot(): StatsSnapshot {
    for (const collect of this.#collectors) collect();
    return {
      counters: sorted(this.#counters),
      gauges: sorted(this.#gauges),
      histograms: sorted(this.#histograms),
      customNamespaces: [...this.#namespaces],
    };
  }

  /** Sum of the gauges whose name ends with `suffix`, e.g. every `downstream_cx_active`. */
  gaugeTotal(suffix: string): number {
    let total = 0;
    for (const entry of this.#gauges.values()) if (entry.name.endsWith(suffix)) total += entry.stat.value;
    return total;
  }
}

function resolve<S>(
  map: Map<string, StatEntry<S>>,
  name: string,
  tags: StatTags | undefined,
  make: () => S,
): S {
  const key = tags ? statKey(name, tags) : name;
  const existing = map.get(key);
  if (existing) return existing.stat;
  const entry = { name, tags: tags ? sortedTags(tags) : [], stat: make() };
  map.set(key, entry);
  return entry.stat;
}

function sortedTags(tags: StatTags): StatTag[] {
  return Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function statKey(name: string, tags: StatTags): string {
  let key = name;
  for (const [tag, value] of sortedTags(tags)) key += `\u0000${tag}=${value}`;
  return key;
}

function sorted<S>(map: Map<string, StatEntry<S>>): StatEntry<S>[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}
