// Prometheus text exposition of the stats, named as Envoy names them: `envoy_` + the tag-extracted name with
// every other character turned into `_`, and the extracted tags as labels; custom namespaces lose the prefix.
import type { StatEntry, StatsSnapshot } from './stats-store.ts';
import { extractTags, type StatTag } from './tag-extraction.ts';
import type { StatsQuery } from './text-format.ts';

interface Series {
  readonly family: string;
  readonly labels: string;
}

const seriesCache = new WeakMap<StatEntry<unknown>, Series>();

export function sanitizeMetricName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The Prometheus family name and label set of one stat; computed once per stat. */
export function prometheusSeries(entry: StatEntry<unknown>, customNamespaces: readonly string[]): Series {
  const cached = seriesCache.get(entry);
  if (cached) return cached;
  const namespace = customNamespaces.find((candidate) => entry.name.startsWith(`${candidate}.`));
  let family: string;
  let tags: readonly StatTag[];
  if (namespace !== undefined) {
    family = sanitizeMetricName(entry.name.slice(namespace.length + 1));
    tags = entry.tags;
  } else {
    const extracted = extractTags(entry.name);
    family = `envoy_${sanitizeMetricName(extracted.name)}`;
    tags = [...extracted.tags, ...entry.tags];
  }
  const labels = tags
    .map(([tag, value]) => `${sanitizeMetricName(tag)}="${escapeLabelValue(value)}"`)
    .join(',');
  const series = { family, labels };
  seriesCache.set(entry, series);
  return series;
}

interface Family {
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly lines: string[];
}

export function renderPrometheus(snapshot: StatsSnapshot, query: StatsQuery = {}): string {
  const families = new Map<string, Family>();
  const add = (type: Family['type'], family: string, lines: readonly string[]): void => {
    const key = `${family} ${type}`;
    let target = families.get(key);
    if (!target) families.set(key, (target = { type, lines: [] }));
    target.lines.push(...lines);
  };
  const selected = (entry: StatEntry<unknown>): boolean => !query.filter || query.filter.test(entry.name);
  for (const entry of snapshot.counters) {
    if ((query.usedOnly && entry.stat.value === 0) || !selected(entry)) continue;
    const { family, labels } = prometheusSeries(entry, snapshot.customNamespaces);
    add('counter', family, [`${family}${braces(labels)} ${formatValue(entry.stat.value)}`]);
  }
  for (const entry of snapshot.gauges) {
    if ((query.usedOnly && !entry.stat.used) || !selected(entry)) continue;
    const { family, labels } = prometheusSeries(entry, snapshot.customNamespaces);
    add('gauge', family, [`${family}${braces(labels)} ${formatValue(entry.stat.value)}`]);
  }
  for (const entry of snapshot.histograms) {
    if ((query.usedOnly && entry.stat.count === 0) || !selected(entry)) continue;
    const { family, labels } = prometheusSeries(entry, snapshot.customNamespaces);
    const histogram = entry.stat;
    const prefix = labels === '' ? '' : `${labels},`;
    const cumulative = histogram.cumulative();
    const lines = histogram.bounds.map(
      (bound, index) => `${family}_bucket{${prefix}le="${bound}"} ${formatValue(cumulative[index] ?? 0)}`,
    );
    lines.push(`${family}_bucket{${prefix}le="+Inf"} ${formatValue(histogram.count)}`);
    lines.push(`${family}_sum${braces(labels)} ${formatValue(histogram.sum)}`);
    lines.push(`${family}_count${braces(labels)} ${formatValue(histogram.count)}`);
    add('histogram', family, lines);
  }
  const out: string[] = [];
  for (const key of [...families.keys()].sort()) {
    const family = families.get(key) as Family;
    out.push(`# TYPE ${key.slice(0, key.indexOf(' '))} ${family.type}`, ...family.lines);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function braces(labels: string): string {
  return labels === '' ? '' : `{${labels}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
