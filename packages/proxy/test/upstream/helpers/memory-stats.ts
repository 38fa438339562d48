// An in-memory StatsSink for assertions: every counter and gauge by full name.
import type { Counter, Gauge, StatsSink } from '../../../src/stats/stats-sink.ts';

export class MemoryStats implements StatsSink {
  readonly values = new Map<string, number>();

  counter(name: string): Counter {
    const values = this.values;
    if (!values.has(name)) values.set(name, 0);
    return {
      inc: (by = 1) => void values.set(name, (values.get(name) ?? 0) + by),
      get value() {
        return values.get(name) ?? 0;
      },
    };
  }

  gauge(name: string): Gauge {
    const values = this.values;
    if (!values.has(name)) values.set(name, 0);
    return {
      set: (value) => void values.set(name, value),
      add: (delta) => void values.set(name, (values.get(name) ?? 0) + delta),
      get value() {
        return values.get(name) ?? 0;
      },
    };
  }

  /** `cluster.<cluster>.<stat>`, 0 when never touched. */
  cluster(cluster: string, stat: string): number {
    return this.values.get(`cluster.${cluster}.${stat}`) ?? 0;
  }
}
