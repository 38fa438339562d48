// Envoy's `/stats` output: `name: value` lines sorted by name (counters and gauges, then histograms), and
// the `?format=json` shape.
import type { HistogramStat } from './histogram.ts';
import type { StatEntry, StatsSnapshot } from './stats-store.ts';

export interface StatsQuery {
  /** Only stats whose display name matches. */
  readonly filter?: RegExp;
  /** Only counters that counted, gauges that were set and histograms that recorded (Envoy's `usedonly`). */
  readonly usedOnly?: boolean;
}

const QUANTILES = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1];

/** `name`, or `name{tag="value",…}` for a stat resolved with explicit tags. */
export function displayName(entry: StatEntry<unknown>): string {
  if (entry.tags.length === 0) return entry.name;
  return `${entry.name}{${entry.tags.map(([tag, value]) => `${tag}=${JSON.stringify(value)}`).join(',')}}`;
}

interface Row {
  readonly name: string;
  readonly value: number;
}

function scalarRows(snapshot: StatsSnapshot, query: StatsQuery): Row[] {
  const rows: Row[] = [];
  for (const entry of snapshot.counters) {
    if (query.usedOnly && entry.stat.value === 0) continue;
    rows.push({ name: displayName(entry), value: entry.stat.value });
  }
  for (const entry of snapshot.gauges) {
    if (query.usedOnly && !entry.stat.used) continue;
    rows.push({ name: displayName(entry), value: entry.stat.value });
  }
  return rows
    .filter((row) => !query.filter || query.filter.test(row.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function histogramRows(snapshot: StatsSnapshot, query: StatsQuery): StatEntry<HistogramStat>[] {
  return snapshot.histograms.filter(
    (entry) =>
      !(query.usedOnly && entry.stat.count === 0) && (!query.filter || query.filter.test(displayName(entry))),
  );
}

export function renderStatsText(snapshot: StatsSnapshot, query: StatsQuery = {}): string {
  const lines = scalarRows(snapshot, query).map((row) => `${row.name}: ${row.value}`);
  for (const entry of histogramRows(snapshot, query)) {
    const histogram = entry.stat;
    const summary =
      histogram.count === 0
        ? 'No recorded values'
        : QUANTILES.map((q) => `P${q * 100}(${round(histogram.quantile(q))})`).join(' ');
    lines.push(`${displayName(entry)}: ${summary}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function renderStatsJson(snapshot: StatsSnapshot, query: StatsQuery = {}): unknown {
  const stats: unknown[] = scalarRows(snapshot, query).map((row) => ({ name: row.name, value: row.value }));
  const histograms = histogramRows(snapshot, query);
  if (histograms.length > 0) {
    stats.push({
      histograms: {
        supported_quantiles: QUANTILES.map((q) => q * 100),
        computed_quantiles: histograms.map((entry) => ({
          name: displayName(entry),
          values: QUANTILES.map((q) => ({
            cumulative: entry.stat.count === 0 ? null : round(entry.stat.quantile(q)),
          })),
        })),
      },
    });
  }
  return { stats };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
