// The rolling history of the mesh's Istio metrics: each scrape round turns every proxy's counters into
// increases since its previous scrape, summed over proxies per reduced series; rounds older than the
// retention are dropped. Pure: the caller gives the time and the scraped samples.
import { counterIncrease } from './counter-increase.ts';
import { istioSeriesOf, type IstioSeries } from './istio-series.ts';
import type { PrometheusSample } from './prometheus-text.ts';

export interface ScrapeResult {
  /** The target's identity (its metrics URL). */
  readonly target: string;
  /** Undefined when the scrape failed: the next success counts the whole gap. */
  readonly samples?: readonly PrometheusSample[];
}

export interface SeriesIncrease {
  readonly series: IstioSeries;
  readonly value: number;
}

export interface MetricsRound {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Time since the previous round; 0 for the first, which only records where counters stand. */
  readonly sinceMs: number;
  /** Increases since the previous round, by series key; series that did not move are absent. */
  readonly increases: ReadonlyMap<string, SeriesIncrease>;
}

export interface WindowIncreases {
  /** The time the window's rounds cover (at most the window; less right after start). */
  readonly seconds: number;
  readonly increases: readonly SeriesIncrease[];
}

interface TargetState {
  /** Counter values of the last successful scrape, by series as written. */
  readonly values: Map<string, number>;
  /** The reduced series of each series as written, so it is computed once per series. */
  readonly reduced: Map<string, IstioSeries | undefined>;
}

export class MetricsHistory {
  readonly #retentionMs: number;
  readonly #rounds: MetricsRound[] = [];
  readonly #targets = new Map<string, TargetState>();

  constructor(options: { readonly retentionMs: number }) {
    this.#retentionMs = options.retentionMs;
  }

  get retentionMs(): number {
    return this.#retentionMs;
  }

  /**
   * Adds one round. Targets absent from `results` are forgotten (their proxy went away): their past increases
   * stay in history, and should they come back their first scrape only sets where their counters stand.
   */
  record(at: number, results: readonly ScrapeResult[]): MetricsRound {
    const increases = new Map<string, SeriesIncrease>();
    const present = new Set(results.map((result) => result.target));
    for (const target of [...this.#targets.keys()]) if (!present.has(target)) this.#targets.delete(target);
    for (const result of results) {
      if (result.samples === undefined) continue;
      const state = this.#targets.get(result.target);
      if (state) addIncreases(state, result.samples, increases);
      this.#targets.set(result.target, nextState(state, result.samples));
    }
    const last = this.#rounds.at(-1);
    const round: MetricsRound = { at, sinceMs: last ? Math.max(0, at - last.at) : 0, increases };
    this.#rounds.push(round);
    while (this.#rounds.length > 0 && (this.#rounds[0] as MetricsRound).at <= at - this.#retentionMs)
      this.#rounds.shift();
    return round;
  }

  /** Rounds with `from < at <= to`, oldest first. */
  rounds(from: number, to: number): MetricsRound[] {
    return this.#rounds.filter((round) => round.at > from && round.at <= to);
  }

  /** Increases summed over the rounds of the last `windowMs` before `now`. */
  window(now: number, windowMs: number): WindowIncreases {
    const sums = new Map<string, SeriesIncrease>();
    let coveredMs = 0;
    for (const round of this.rounds(now - windowMs, now)) {
      coveredMs += round.sinceMs;
      for (const [key, increase] of round.increases) {
        const sum = sums.get(key);
        sums.set(key, { series: increase.series, value: (sum?.value ?? 0) + increase.value });
      }
    }
    return { seconds: Math.min(coveredMs, windowMs) / 1000, increases: [...sums.values()] };
  }
}

function addIncreases(
  state: TargetState,
  samples: readonly PrometheusSample[],
  into: Map<string, SeriesIncrease>,
): void {
  // Buckets that did not move still bound those that did (histogram_quantile interpolates from the bucket
  // below), so they are kept for every histogram with some observation this round.
  const stillBuckets: IstioSeries[] = [];
  const movedHistograms = new Set<string>();
  for (const sample of samples) {
    const series = reducedSeries(state, sample);
    if (!series) continue;
    // A series absent last time appeared since then, counting from zero.
    const value = counterIncrease(state.values.get(sample.series) ?? 0, sample.value);
    if (value === 0) {
      if (series.family === 'duration') stillBuckets.push(series);
      continue;
    }
    if (series.family === 'duration') movedHistograms.add(series.histogram);
    const sum = into.get(series.key);
    into.set(series.key, { series, value: (sum?.value ?? 0) + value });
  }
  for (const series of stillBuckets)
    if (movedHistograms.has(series.histogram) && !into.has(series.key))
      into.set(series.key, { series, value: 0 });
}

function nextState(previous: TargetState | undefined, samples: readonly PrometheusSample[]): TargetState {
  const values = new Map<string, number>();
  const reduced = new Map<string, IstioSeries | undefined>();
  for (const sample of samples) {
    values.set(sample.series, sample.value);
    reduced.set(sample.series, previous?.reduced.get(sample.series) ?? istioSeriesOf(sample));
  }
  return { values, reduced };
}

function reducedSeries(state: TargetState, sample: PrometheusSample): IstioSeries | undefined {
  return state.reduced.has(sample.series) ? state.reduced.get(sample.series) : istioSeriesOf(sample);
}
