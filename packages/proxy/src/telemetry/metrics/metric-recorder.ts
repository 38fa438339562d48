// The hot path of Istio's metrics: metrics that share a label plan form a group; a group resolves its stats
// once per distinct label set (a Map keyed by the label values joined with a separator no value contains
// after sanitizing) and afterwards a request costs one string join, one Map lookup and a few increments.
import type { Histogram } from '../../stats/histogram.ts';
import type { Counter } from '../../stats/stats-sink.ts';
import { ISTIO_CUSTOM_NAMESPACE, type HistogramSink } from '../../stats/stats-store.ts';
import type { AttributeGetter } from './attribute-expression.ts';
import { ISTIO_METRICS, METRIC_DEFINITIONS, type IstioMetric, type StandardLabel } from './istio-metrics.ts';
import { HTTP_LABELS } from './istio-metrics.ts';
import { STANDARD_LABEL_COUNT, standardLabelValues, type MetricAttributes } from './metric-attributes.ts';
import type { CompiledStatsConfig } from './stats-config.ts';

/** One value per metric (indexed as ISTIO_METRICS); NaN: the metric is not recorded for this event. */
export type MetricSample = Float64Array;

export function createSample(): MetricSample {
  return new Float64Array(ISTIO_METRICS.length).fill(Number.NaN);
}

export const METRIC_INDEX: Readonly<Record<IstioMetric, number>> = Object.fromEntries(
  ISTIO_METRICS.map((metric, index) => [metric, index]),
) as Record<IstioMetric, number>;

/** A label's value: an index into the standard values, or a getter (tag override). */
type LabelSource = number | AttributeGetter;

interface Group {
  /** Every label is a standard one (no UPSERT getters): the identity key applies. */
  readonly standardOnly: boolean;
  readonly names: readonly string[];
  readonly sources: readonly LabelSource[];
  readonly metrics: readonly IstioMetric[];
  readonly series: Map<string, (Counter | Histogram)[]>;
}

/** Ahead of the cache: at most this many label sets per group, beyond which new sets share one series. */
const MAX_SERIES_PER_GROUP = 20_000;
const SEPARATOR = '\u0001';

export class MetricRecorder {
  readonly #store: HistogramSink;
  readonly #groups: Group[] = [];
  readonly #scratch: string[] = [];
  readonly #standard: string[] = new Array<string>(STANDARD_LABEL_COUNT);
  #standardReady = false;

  constructor(
    store: HistogramSink,
    config: CompiledStatsConfig,
    metrics: readonly IstioMetric[],
    labels: readonly StandardLabel[],
  ) {
    this.#store = store;
    const byPlan = new Map<string, { names: string[]; sources: LabelSource[]; metrics: IstioMetric[] }>();
    for (const metric of metrics) {
      const override = config.overrides.get(metric);
      if (override?.disabled) continue;
      const names: string[] = [];
      const sources: LabelSource[] = [];
      const overridden = new Map((override?.tagOverrides ?? []).map((o) => [o.tag, o]));
      for (const label of labels) {
        const o = overridden.get(label);
        if (o && o.value === undefined) continue;
        names.push(label);
        sources.push(o?.value ?? HTTP_LABELS.indexOf(label));
      }
      for (const o of override?.tagOverrides ?? []) {
        if (o.value === undefined || (labels as readonly string[]).includes(o.tag)) continue;
        names.push(o.tag);
        sources.push(o.value);
      }
      const planKey = (override?.tagOverrides ?? []).map((o) => `${o.tag}=${o.source}`).join(SEPARATOR);
      let plan = byPlan.get(planKey);
      if (!plan) byPlan.set(planKey, (plan = { names, sources, metrics: [] }));
      plan.metrics.push(metric);
    }
    for (const plan of byPlan.values())
      this.#groups.push({
        ...plan,
        standardOnly: plan.sources.every((source) => typeof source === 'number'),
        series: new Map(),
      });
  }

  /** Whether any metric is recorded at all (every one may be disabled). */
  get active(): boolean {
    return this.#groups.length > 0;
  }

  record(attrs: MetricAttributes, sample: MetricSample): void {
    this.#standardReady = false;
    for (const group of this.#groups) {
      const stats = this.#resolve(group, attrs);
      const metrics = group.metrics;
      for (let i = 0; i < metrics.length; i++) {
        const metric = metrics[i] as IstioMetric;
        const value = sample[METRIC_INDEX[metric]] as number;
        if (Number.isNaN(value)) continue;
        const stat = stats[i] as Counter | Histogram;
        if ('inc' in stat) {
          if (value > 0) stat.inc(value);
        } else stat.record(value);
      }
    }
  }

  /** The standard label values of the event being recorded, computed at most once per record(). */
  #standardValues(attrs: MetricAttributes): readonly string[] {
    if (!this.#standardReady) {
      standardLabelValues(attrs, this.#standard);
      this.#standardReady = true;
    }
    return this.#standard;
  }

  #resolve(group: Group, attrs: MetricAttributes): (Counter | Histogram)[] {
    // Standard labels only: a short key of the attributes (peers and services are interned objects, known by
    // a number), with no per-label work on a cache hit.
    let key = group.standardOnly ? identityKey(attrs) : this.#valuesKey(group, attrs);
    let stats = group.series.get(key);
    if (stats) return stats;
    const values = group.standardOnly ? this.#fillValues(group, attrs) : this.#scratch;
    if (group.series.size >= MAX_SERIES_PER_GROUP) {
      // Cardinality guard: a label fed by an unbounded value (a header) must not grow memory without end.
      for (let i = 0; i < values.length; i++) values[i] = 'overflow';
      key = OVERFLOW_KEY;
      stats = group.series.get(key);
      if (stats) return stats;
    }
    const tags: Record<string, string> = {};
    for (let i = 0; i < values.length; i++)
      tags[group.names[i] as string] = (values[i] as string).replaceAll(SEPARATOR, '');
    stats = group.metrics.map((metric) => {
      const definition = METRIC_DEFINITIONS[metric];
      const name = `${ISTIO_CUSTOM_NAMESPACE}.${definition.name}`;
      return definition.kind === 'counter'
        ? this.#store.counter(name, tags)
        : this.#store.histogram(name, tags, definition.buckets ? { buckets: definition.buckets } : undefined);
    });
    group.series.set(key, stats);
    return stats;
  }

  #fillValues(group: Group, attrs: MetricAttributes): string[] {
    const values = this.#scratch;
    const sources = group.sources;
    values.length = sources.length;
    const standard = this.#standardValues(attrs);
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i] as LabelSource;
      values[i] = typeof source === 'number' ? (standard[source] as string) : source(attrs);
    }
    return values;
  }

  #valuesKey(group: Group, attrs: MetricAttributes): string {
    return this.#fillValues(group, attrs).join(SEPARATOR);
  }
}

const OVERFLOW_KEY = '\u0002overflow';
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identity(object: object): number {
  let id = identities.get(object);
  if (id === undefined) identities.set(object, (id = ++nextIdentity));
  return id;
}

/** Every attribute a standard label reads; objects by identity (peers and services are interned). */
function identityKey(a: MetricAttributes): string {
  return `${a.reporter}|${identity(a.source)}|${identity(a.destination)}|${identity(a.destinationService)}|${a.requestProtocol}|${a.responseCode}|${a.grpcStatus}|${a.responseFlags}|${a.securityPolicy}|${a.sourcePrincipal}|${a.destinationPrincipal}`;
}
