// Label sets of one metric family: each distinct set of label values is one series.

export type Labels = Readonly<Record<string, string>>;

export interface Series<V> {
  readonly labels: Labels;
  value: V;
}

/** Keeps the series of one family, keyed by label values in the family's label-name order. */
export class SeriesMap<V> {
  readonly #labelNames: readonly string[];
  readonly #family: string;
  readonly #series = new Map<string, Series<V>>();

  constructor(family: string, labelNames: readonly string[]) {
    this.#family = family;
    this.#labelNames = labelNames;
  }

  /** The series for `labels`, created with `initial()` on first use. */
  get(labels: Labels, initial: () => V): Series<V> {
    const key = this.#key(labels);
    let series = this.#series.get(key);
    if (!series) {
      const own: Record<string, string> = {};
      for (const name of this.#labelNames) own[name] = labels[name] ?? '';
      series = { labels: own, value: initial() };
      this.#series.set(key, series);
    }
    return series;
  }

  peek(labels: Labels): Series<V> | undefined {
    return this.#series.get(this.#key(labels));
  }

  delete(labels: Labels): void {
    this.#series.delete(this.#key(labels));
  }

  /** In creation order, which keeps the exposition stable between scrapes. */
  all(): Series<V>[] {
    return [...this.#series.values()];
  }

  #key(labels: Labels): string {
    for (const name of Object.keys(labels)) {
      // A misspelt label would silently start a new series; fail where the bug is.
      if (!this.#labelNames.includes(name)) throw new Error(`metric ${this.#family} has no label "${name}"`);
    }
    return this.#labelNames.map((name) => labels[name] ?? '').join('\u0000');
  }
}
