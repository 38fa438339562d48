// Fixed-bucket histograms (Envoy's default bounds), recorded with one scan over a short sorted array.
export interface Histogram {
  record(value: number): void;
}

/** Envoy's default histogram bucket bounds (milliseconds for the `_ms` histograms). */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000,
  3_600_000,
];

export class HistogramStat implements Histogram {
  readonly bounds: readonly number[];
  /** Per-bucket (not cumulative) counts; the last slot holds values above the highest bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[] = DEFAULT_HISTOGRAM_BUCKETS) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  record(value: number): void {
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > (bounds[index] as number)) index++;
    this.counts[index] = (this.counts[index] as number) + 1;
    this.sum += value;
    this.count++;
  }

  /** Cumulative counts per bound, as Prometheus `le` buckets expect (without the +Inf bucket). */
  cumulative(): number[] {
    const out: number[] = [];
    let running = 0;
    for (let index = 0; index < this.bounds.length; index++) {
      running += this.counts[index] as number;
      out.push(running);
    }
    return out;
  }

  /** Estimates a quantile (0..1) by linear interpolation inside the bucket that holds it. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = q * this.count;
    let seen = 0;
    for (let index = 0; index < this.counts.length; index++) {
      const inBucket = this.counts[index] as number;
      if (inBucket > 0 && seen + inBucket >= rank) {
        const lower = index === 0 ? 0 : (this.bounds[index - 1] as number);
        const upper = this.bounds[index] ?? lower;
        return lower + (upper - lower) * Math.max(0, Math.min(1, (rank - seen) / inBucket));
      }
      seen += inBucket;
    }
    return this.bounds[this.bounds.length - 1] ?? 0;
  }
}
