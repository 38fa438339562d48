// Scrapes every connected proxy's Prometheus stats each interval, all at once and each bounded, and feeds the
// rolling history the dashboard reads. A round waits for the previous one; a slow proxy delays nobody else.
import { Agent } from 'node:http';
import type { ScrapeStatus } from '@heddle/api';
import type { ProxyNode } from '@heddle/translate';
import type { Clock, TimerHandle } from '../push/clock.ts';
import type { Logger } from '../server/logger.ts';
import { DEFAULT_FETCH_LIMITS, fetchMetricsText, type FetchLimits } from './fetch-metrics-text.ts';
import { isIstioFamily } from './istio-series.ts';
import { MetricsHistory, type ScrapeResult } from './metrics-history.ts';
import { metricsTargetOf } from './metrics-target.ts';
import { parsePrometheusSamples } from './prometheus-text.ts';

export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 5;
export const DEFAULT_METRICS_RETENTION_SECONDS = 15 * 60;
/** Scrapes in flight at once: a large mesh is scraped in waves rather than with one socket per proxy. */
const MAX_CONCURRENT_SCRAPES = 32;

export interface MeshMetricsOptions {
  /** Seconds between rounds; 0 never scrapes (the history stays empty). */
  readonly intervalSeconds: number;
  readonly retentionSeconds: number;
  /** The nodes of the connected proxies. */
  readonly proxies: () => readonly ProxyNode[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits?: Omit<FetchLimits, 'agent'>;
}

export class MeshMetricsScraper {
  readonly history: MetricsHistory;
  readonly intervalSeconds: number;
  readonly #options: MeshMetricsOptions;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #warned = new Set<string>();
  #timer: TimerHandle | undefined;
  #round: Promise<void> | undefined;
  #closed = false;
  #targets = 0;
  #healthy = 0;
  #lastScrapeAt: number | undefined;

  constructor(options: MeshMetricsOptions) {
    this.#options = options;
    this.intervalSeconds = options.intervalSeconds;
    this.history = new MetricsHistory({ retentionMs: options.retentionSeconds * 1000 });
  }

  /** Starts the rounds, the first one at once. */
  start(): void {
    if (this.intervalSeconds <= 0 || this.#closed) return;
    this.#schedule(0);
  }

  status(): ScrapeStatus {
    return {
      intervalSeconds: this.intervalSeconds,
      targets: this.#targets,
      healthy: this.#healthy,
      ...(this.#lastScrapeAt !== undefined
        ? { lastScrapeAt: new Date(this.#lastScrapeAt).toISOString() }
        : {}),
    };
  }

  /** One round now (or the one under way); tests call it to avoid waiting for the timer. */
  scrapeNow(): Promise<void> {
    this.#round ??= this.#scrapeRound().finally(() => (this.#round = undefined));
    return this.#round;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) this.#options.clock.clearTimeout(this.#timer);
    await this.#round;
    this.#agent.destroy();
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#options.clock.setTimeout(() => {
      void this.scrapeNow().then(() => {
        if (!this.#closed) this.#schedule(this.intervalSeconds * 1000);
      });
    }, delayMs);
    const timer = this.#timer.timer as { unref?: () => void };
    timer.unref?.();
  }

  async #scrapeRound(): Promise<void> {
    const urls = this.#targetUrls();
    const limits = { ...DEFAULT_FETCH_LIMITS, ...this.#options.limits, agent: this.#agent };
    const results = await mapConcurrently(
      urls,
      MAX_CONCURRENT_SCRAPES,
      async (url): Promise<ScrapeResult> => {
        try {
          const text = await fetchMetricsText(url, limits);
          return { target: url, samples: parsePrometheusSamples(text, isIstioFamily) };
        } catch (error) {
          this.#options.logger.debug('metrics scrape failed', { url, error: String(error) });
          return { target: url };
        }
      },
    );
    if (this.#closed) return;
    const at = this.#options.clock.now();
    this.history.record(at, results);
    this.#targets = urls.length;
    this.#healthy = results.filter((result) => result.samples !== undefined).length;
    this.#lastScrapeAt = at;
  }

  /** One URL per target, however many proxies (or reconnected streams) announce it. */
  #targetUrls(): string[] {
    const urls = new Set<string>();
    for (const node of this.#options.proxies()) {
      const target = metricsTargetOf(node);
      if (target?.url !== undefined) urls.add(target.url);
      else if (target?.problem !== undefined && !this.#warned.has(node.id)) {
        // Said once per proxy; the set is bounded since proxy ids come and go.
        if (this.#warned.size >= 10_000) this.#warned.clear();
        this.#warned.add(node.id);
        this.#options.logger.warn('not scraping a proxy', { proxy: node.id, problem: target.problem });
      }
    }
    return [...urls];
  }
}

/** `map` over `items` with at most `limit` calls pending, results in the items' order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
