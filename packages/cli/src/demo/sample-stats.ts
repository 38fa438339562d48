// Numbers for the demo's summary: percentiles from the sorted latency samples (nearest rank), and the
// tolerance of a traffic split, from the binomial distribution of the observed request count.

/** The nearest-rank percentile `p` (0..100) of the samples; undefined when there are none. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** How many standard deviations a split may stray before the demo calls it wrong (about 1 in 15 000). */
export const SPLIT_SIGMAS = 4;

export interface SplitCheck {
  readonly total: number;
  readonly observed: number;
  readonly share: number;
  readonly expectedShare: number;
  /** The largest distance of `share` from `expectedShare` that chance explains at this count. */
  readonly tolerance: number;
  readonly withinTolerance: boolean;
}

/**
 * `observed` of `total` requests went to the canary, each independently with probability `expectedShare`:
 * the count is binomial, so its share has standard deviation sqrt(p(1-p)/n). Half a request of continuity
 * correction keeps small counts from failing on rounding alone.
 */
export function checkSplit(observed: number, total: number, expectedShare: number): SplitCheck {
  if (total === 0) return { total, observed, share: 0, expectedShare, tolerance: 0, withinTolerance: false };
  const share = observed / total;
  const sigma = Math.sqrt((expectedShare * (1 - expectedShare)) / total);
  const tolerance = SPLIT_SIGMAS * sigma + 0.5 / total;
  return {
    total,
    observed,
    share,
    expectedShare,
    tolerance,
    withinTolerance: Math.abs(share - expectedShare) <= tolerance,
  };
}
