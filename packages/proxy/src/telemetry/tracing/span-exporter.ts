// Sends finished spans to a collector cluster in batches: a bounded queue (spans beyond it are dropped and
// counted), a flush when a batch fills or on a coarse interval, a cap on reports in flight, and a final
// flush on close. Nothing here runs on the request path beyond pushing onto the queue.
import type { StatsSink, Counter } from '../../stats/stats-sink.ts';
import type { ClusterManagerView } from '../../upstream/cluster-view.ts';
import type { FinishedSpan } from './span.ts';

export interface SpanExporterOptions {
  readonly cluster: string;
  readonly path: string;
  readonly authority: string;
  readonly encode: (spans: readonly FinishedSpan[]) => string;
  /** Stat prefix, e.g. `tracing.zipkin`. */
  readonly statPrefix: string;
  readonly batchSize?: number;
  readonly maxQueued?: number;
  readonly flushIntervalMs?: number;
  readonly maxInFlight?: number;
}

const DEFAULTS = { batchSize: 100, maxQueued: 10_000, flushIntervalMs: 1000, maxInFlight: 4 };

export interface ExporterStats {
  readonly spansSent: Counter;
  readonly spansDropped: Counter;
  readonly reportsSent: Counter;
  readonly reportsFailed: Counter;
  readonly timerFlushed: Counter;
}

export class SpanExporter {
  readonly #options: Required<SpanExporterOptions>;
  readonly #clusters: ClusterManagerView;
  readonly #stats: ExporterStats;
  #queue: FinishedSpan[] = [];
  #inFlight = new Set<Promise<void>>();
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(options: SpanExporterOptions, clusters: ClusterManagerView, stats: StatsSink) {
    this.#options = { ...DEFAULTS, ...options };
    this.#clusters = clusters;
    const prefix = options.statPrefix;
    this.#stats = {
      spansSent: stats.counter(`${prefix}.spans_sent`),
      spansDropped: stats.counter(`${prefix}.spans_dropped`),
      reportsSent: stats.counter(`${prefix}.reports_sent`),
      reportsFailed: stats.counter(`${prefix}.reports_failed`),
      timerFlushed: stats.counter(`${prefix}.timer_flushed`),
    };
    this.#timer = setInterval(() => {
      if (this.#queue.length === 0) return;
      this.#stats.timerFlushed.inc();
      this.#flush();
    }, this.#options.flushIntervalMs);
    this.#timer.unref();
  }

  get stats(): ExporterStats {
    return this.#stats;
  }

  export(span: FinishedSpan): void {
    if (this.#closed || this.#queue.length >= this.#options.maxQueued) {
      this.#stats.spansDropped.inc();
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#options.batchSize) this.#flush();
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.#inFlight.size < this.#options.maxInFlight) {
      const batch = this.#queue.splice(0, this.#options.batchSize);
      const report = this.#send(batch).finally(() => {
        this.#inFlight.delete(report);
        // Spans that waited for a free slot go out as soon as one frees up.
        if (this.#queue.length >= this.#options.batchSize || (this.#closed && this.#queue.length > 0))
          this.#flush();
      });
      this.#inFlight.add(report);
    }
  }

  async #send(batch: FinishedSpan[]): Promise<void> {
    const cluster = this.#clusters.cluster(this.#options.cluster);
    const host = cluster?.selectHost({});
    if (!cluster || !host) {
      this.#fail(batch.length);
      return;
    }
    try {
      const attempt = cluster.sendHttp(host, {
        method: 'POST',
        path: this.#options.path,
        authority: this.#options.authority,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(this.#options.encode(batch)),
        protocol: 'http1',
      });
      const response = await attempt.response;
      for await (const _chunk of response.body) {
        // Drained so the connection can be reused.
      }
      if (response.status >= 200 && response.status < 300) {
        this.#stats.reportsSent.inc();
        this.#stats.spansSent.inc(batch.length);
      } else this.#fail(batch.length);
    } catch {
      this.#fail(batch.length);
    }
  }

  #fail(spans: number): void {
    this.#stats.reportsFailed.inc();
    this.#stats.spansDropped.inc(spans);
  }

  /** Sends what is queued now and waits for every report in flight. */
  async flush(): Promise<void> {
    this.#flush();
    while (this.#inFlight.size > 0 || this.#queue.length > 0) {
      if (this.#inFlight.size === 0) this.#flush();
      await Promise.race(this.#inFlight);
    }
  }

  /** Final flush, bounded by `timeoutMs`, then stops the interval. */
  async close(timeoutMs = 2000): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
