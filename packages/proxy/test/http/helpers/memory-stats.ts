// An in-memory StatsSink for tests: counters and gauges by name, readable with value().
import type { Counter, Gauge, StatsSink } from '../../../src/stats/stats-sink.ts';

class Value implements Counter, Gauge {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
  set(value: number): void {
    this.value = value;
  }
  add(delta: number): void {
    this.value += delta;
  }
}

export class MemoryStats implements StatsSink {
  readonly #values = new Map<string, Value>();

  counter(name: string): Counter {
    return this.#get(name);
  }

  gauge(name: string): Gauge {
    return this.#get(name);
  }

  value(name: string): number {
    return this.#values.get(name)?.value ?? 0;
  }

  #get(name: string): Value {
    let v = this.#values.get(name);
    if (!v) {
      v = new Value();
      this.#values.set(name, v);
    }
    return v;
  }
}
