// A Prometheus histogram with fixed upper bounds; exposes cumulative _bucket, _sum and _count series.
import { SeriesMap, type Labels } from './series.ts';

interface HistogramState {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly #series: SeriesMap<HistogramState>;

  constructor(name: string, help: string, buckets: readonly number[], labelNames: readonly string[] = []) {
    if (labelNames.includes('le')) throw new Error(`histogram ${name} cannot use the reserved label "le"`);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.buckets = [...buckets].sort((a, b) => a - b);
    this.#series = new SeriesMap(name, labelNames);
  }

  observe(labels: Labels, value: number): void {
    const state = this.#series.get(labels, () => ({
      counts: this.buckets.map(() => 0),
      sum: 0,
      count: 0,
    })).value;
    // Buckets are stored non-cumulative; exposition adds them up.
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) state.counts[index] = (state.counts[index] ?? 0) + 1;
    state.sum += value;
    state.count += 1;
  }

  count(labels: Labels = {}): number {
    return this.#series.peek(labels)?.value.count ?? 0;
  }

  samples(): { name: string; labels: Labels; value: number }[] {
    const out: { name: string; labels: Labels; value: number }[] = [];
    for (const { labels, value } of this.#series.all()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += value.counts[i] ?? 0;
        out.push({
          name: `${this.name}_bucket`,
          labels: { ...labels, le: formatBound(bound) },
          value: cumulative,
        });
      });
      out.push({ name: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: value.count });
      out.push({ name: `${this.name}_sum`, labels, value: value.sum });
      out.push({ name: `${this.name}_count`, labels, value: value.count });
    }
    return out;
  }
}

function formatBound(bound: number): string {
  return Number.isFinite(bound) ? String(bound) : bound > 0 ? '+Inf' : '-Inf';
}
