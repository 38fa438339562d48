// A monotonically increasing Prometheus counter, optionally with labels.
import { SeriesMap, type Labels } from './series.ts';

export class Counter {
  readonly name: string;
  readonly help: string;
  readonly type = 'counter';
  readonly labelNames: readonly string[];
  readonly #series: SeriesMap<number>;

  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.#series = new SeriesMap(name, labelNames);
  }

  inc(labels: Labels = {}, amount = 1): void {
    if (!(amount >= 0)) throw new Error(`counter ${this.name} cannot decrease (got ${amount})`);
    this.#series.get(labels, () => 0).value += amount;
  }

  value(labels: Labels = {}): number {
    return this.#series.peek(labels)?.value ?? 0;
  }

  samples(): { name: string; labels: Labels; value: number }[] {
    return this.#series.all().map((s) => ({ name: this.name, labels: s.labels, value: s.value }));
  }
}
