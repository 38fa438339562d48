// The proxy's counters and gauges, named like Envoy's (`cluster.<name>.upstream_rq_total`), resolved once
// per name so the hot path only increments numbers.

export interface Counter {
  inc(by?: number): void;
  readonly value: number;
}

export interface Gauge {
  set(value: number): void;
  add(delta: number): void;
  readonly value: number;
}

export interface StatsSink {
  counter(name: string, tags?: Readonly<Record<string, string>>): Counter;
  gauge(name: string, tags?: Readonly<Record<string, string>>): Gauge;
}
