// A Prometheus gauge: a value that goes up and down, optionally refreshed just before each scrape.
import { SeriesMap, type Labels } from './series.ts';

export class Gauge {
  readonly name: string;
  readonly help: string;
  readonly type = 'gauge';
  readonly labelNames: readonly string[];
  readonly #series: SeriesMap<number>;
  readonly #collect: ((gauge: Gauge) => void) | undefined;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    collect?: (gauge: Gauge) => void,
  ) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.#series = new SeriesMap(name, labelNames);
    this.#collect = collect;
  }

  set(labels: Labels, value: number): void {
    this.#series.get(labels, () => 0).value = value;
  }

  inc(labels: Labels = {}, amount = 1): void {
    this.#series.get(labels, () => 0).value += amount;
  }

  dec(labels: Labels = {}, amount = 1): void {
    this.inc(labels, -amount);
  }

  value(labels: Labels = {}): number {
    return this.#series.peek(labels)?.value ?? 0;
  }

  samples(): { name: string; labels: Labels; value: number }[] {
    this.#collect?.(this);
    return this.#series.all().map((s) => ({ name: this.name, labels: s.labels, value: s.value }));
  }
}
