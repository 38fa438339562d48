// TrafficSeries → the column arrays uPlot draws: x (unix seconds) first, then one array per line; null is a gap.
import type { TrafficSeries } from '@heddle/api';

/** uPlot's AlignedData for one chart. */
export type PlotColumns = [xs: number[], ...ys: (number | null)[][]];

export interface SeriesCharts {
  readonly requests: PlotColumns;
  /** Error rate in percent (0..100), so the axis reads like the tables. */
  readonly errors: PlotColumns;
  /** p50 then p99, in milliseconds. */
  readonly latency: PlotColumns;
  /** True when at least one step saw a request: otherwise the charts show an empty-state note. */
  readonly hasTraffic: boolean;
}

export function seriesToCharts(series: TrafficSeries): SeriesCharts {
  // The arrays should have one value per timestamp; a shorter one is padded with gaps rather than shifted.
  const length = series.timestamps.length;
  const column = (values: readonly (number | null)[], scale = 1): (number | null)[] =>
    Array.from({ length }, (_, index) => {
      const value = values[index];
      return value === null || value === undefined || !Number.isFinite(value) ? null : value * scale;
    });
  const xs = [...series.timestamps];
  return {
    requests: [xs, column(series.requestsPerSecond)],
    errors: [xs, column(series.errorRate, 100)],
    latency: [xs, column(series.p50Ms), column(series.p99Ms)],
    hasTraffic: series.requestsPerSecond.some((value) => value > 0),
  };
}

/** The newest non-null value of a column, for the figure printed above each chart. */
export function latestValue(values: readonly (number | null)[]): number | undefined {
  for (let index = values.length - 1; index >= 0; index--) {
    const value = values[index];
    if (value !== null && value !== undefined) return value;
  }
  return undefined;
}
