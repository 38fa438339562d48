// A quantile from cumulative histogram buckets, interpolated linearly within the bucket the rank falls in,
// as PromQL's histogram_quantile() does (so the dashboard agrees with the seeds' Grafana panels).

export interface CumulativeBucket {
  /** Upper bound; Infinity for `+Inf`. */
  readonly le: number;
  /** Observations at or below `le`. */
  readonly count: number;
}

/** Undefined when there is nothing to rank (no observations, or no `+Inf` bucket). */
export function histogramQuantile(q: number, buckets: readonly CumulativeBucket[]): number | undefined {
  if (Number.isNaN(q) || q < 0 || q > 1) return undefined;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted.at(-1);
  if (!last || last.le !== Infinity || sorted.length < 2) return undefined;
  // Counts summed over proxies scraped at slightly different moments can dip; cumulative counts never do.
  let running = 0;
  const counts = sorted.map((bucket) => (running = Math.max(running, bucket.count)));
  const total = counts.at(-1) as number;
  if (total <= 0) return undefined;
  const rank = q * total;
  const index = counts.findIndex((count) => count >= rank);
  const bucket = sorted[index] as CumulativeBucket;
  if (bucket.le === Infinity) return (sorted[sorted.length - 2] as CumulativeBucket).le;
  if (index === 0 && bucket.le <= 0) return bucket.le;
  const start = index === 0 ? 0 : (sorted[index - 1] as CumulativeBucket).le;
  const below = index === 0 ? 0 : (counts[index - 1] as number);
  const inBucket = (counts[index] as number) - below;
  if (inBucket <= 0) return bucket.le;
  return start + (bucket.le - start) * ((rank - below) / inBucket);
}
