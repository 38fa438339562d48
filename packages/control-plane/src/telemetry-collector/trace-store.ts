// A bounded in-memory store of traces, for the dashboard and `GET /api/v2/traces`: spans grouped by trace
// id, the oldest traces evicted first once the span limit is reached.
import type { ZipkinSpan } from './zipkin-span.ts';

export interface TraceStoreOptions {
  /** Spans kept in total; default 20 000. */
  readonly maxSpans?: number;
}

export interface TraceQuery {
  /** Traces returned, newest first; default 10. */
  readonly limit?: number;
  /** Only traces with a span of this local service. */
  readonly serviceName?: string;
}

export class TraceStore {
  readonly #maxSpans: number;
  /** Insertion order is arrival order of each trace's first span. */
  readonly #traces = new Map<string, ZipkinSpan[]>();
  #spanCount = 0;
  #evicted = 0;

  constructor(options: TraceStoreOptions = {}) {
    this.#maxSpans = Math.max(1, options.maxSpans ?? 20_000);
  }

  get spanCount(): number {
    return this.#spanCount;
  }

  /** Spans dropped to stay within the limit. */
  get evictedSpans(): number {
    return this.#evicted;
  }

  add(spans: readonly ZipkinSpan[]): void {
    for (const span of spans) {
      const trace = this.#traces.get(span.traceId);
      if (trace) {
        // A span reported twice (retries of a report) replaces the earlier copy.
        const existing = trace.findIndex((s) => s.id === span.id && s.kind === span.kind);
        if (existing >= 0) {
          trace[existing] = span;
          continue;
        }
        trace.push(span);
      } else this.#traces.set(span.traceId, [span]);
      this.#spanCount++;
    }
    this.#evict();
  }

  #evict(): void {
    for (const [traceId, spans] of this.#traces) {
      if (this.#spanCount <= this.#maxSpans) return;
      this.#traces.delete(traceId);
      this.#spanCount -= spans.length;
      this.#evicted += spans.length;
    }
  }

  trace(traceId: string): readonly ZipkinSpan[] | undefined {
    return this.#traces.get(traceId.toLowerCase().padStart(32, '0'));
  }

  traces(query: TraceQuery = {}): ZipkinSpan[][] {
    const limit = Math.max(1, query.limit ?? 10);
    const out: ZipkinSpan[][] = [];
    const all = [...this.#traces.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const spans = all[i] ?? [];
      if (query.serviceName && !spans.some((s) => s.localEndpoint?.serviceName === query.serviceName))
        continue;
      out.push([...spans]);
    }
    return out;
  }

  services(): string[] {
    const names = new Set<string>();
    for (const spans of this.#traces.values())
      for (const span of spans)
        if (span.localEndpoint?.serviceName) names.add(span.localEndpoint.serviceName);
    return [...names].sort();
  }
}
