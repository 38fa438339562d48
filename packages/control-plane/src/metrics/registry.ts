// A tiny hand-written Prometheus registry: counters, gauges and histograms, rendered as text format 0.0.4.
import { Counter } from './counter.ts';
import { formatFamily, type MetricFamily } from './exposition.ts';
import { Gauge } from './gauge.ts';
import { Histogram } from './histogram.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class MetricsRegistry {
  readonly #families = new Map<string, MetricFamily>();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, checkLabels(name, labelNames)));
  }

  gauge(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    collect?: (gauge: Gauge) => void,
  ): Gauge {
    return this.#add(new Gauge(name, help, checkLabels(name, labelNames), collect));
  }

  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    return this.#add(new Histogram(name, help, buckets, checkLabels(name, labelNames)));
  }

  /** An unlabelled series read at scrape time, e.g. a total the OS keeps (process CPU seconds). */
  collected(name: string, help: string, type: 'counter' | 'gauge', read: () => number): void {
    this.#add({ name, help, type, samples: () => [{ name, labels: {}, value: read() }] });
  }

  /** Every family in registration order. */
  expose(): string {
    return [...this.#families.values()].map(formatFamily).join('');
  }

  #add<F extends MetricFamily>(family: F): F {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name "${family.name}"`);
    if (this.#families.has(family.name)) throw new Error(`metric ${family.name} is registered twice`);
    this.#families.set(family.name, family);
    return family;
  }
}

function checkLabels(metric: string, labelNames: readonly string[]): readonly string[] {
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith('__'))
      throw new Error(`metric ${metric}: invalid label name "${label}"`);
  }
  return labelNames;
}
