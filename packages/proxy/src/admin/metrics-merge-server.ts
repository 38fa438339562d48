// The merged Prometheus scrape endpoint (Istio's agent serves it on :15020): `GET /stats/prometheus` answers
// with the proxy's own stats followed by the application's metrics, fetched from 127.0.0.1 at scrape time, so
// one scrape target covers both. When the application cannot be read the proxy's stats are still served.
import { request } from 'node:http';
import { renderPrometheus } from '../stats/prometheus-format.ts';
import type { CounterStat, StatsSnapshot, StatsStore } from '../stats/stats-store.ts';
import { AdminServer } from './admin-server.ts';
import type { Logger } from './logger.ts';
import type { AppMetricsTarget, MetricsMergeBootstrap } from './metrics-merge-bootstrap.ts';
import { mergeExpositions } from './metrics-merge-text.ts';

export const METRICS_MERGE_PATH = '/stats/prometheus';
/** Stats under this namespace are exported to Prometheus without the `envoy_` prefix. */
const STATS_NAMESPACE = 'metrics_merge';
export const SCRAPE_FAILURES_STAT = 'heddle_app_metrics_scrape_failures_total';
export const DROPPED_SAMPLES_STAT = 'heddle_app_metrics_dropped_samples_total';
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const DEFAULT_APP_TIMEOUT_MS = 2000;
/** An application exposition larger than this is refused rather than held in memory. */
const MAX_APP_BODY_BYTES = 16 * 1024 * 1024;

export interface MetricsMergeOptions {
  readonly stats: StatsStore;
  /** Every worker's stats merged (concurrency > 1); `stats.snapshot()` when absent. */
  readonly snapshot?: () => Promise<StatsSnapshot>;
  readonly logger: Logger;
  /** Overrides the bootstrap's port (0 picks a free one). */
  readonly port?: number;
  readonly appTimeoutMs?: number;
}

export interface MetricsMergeServer {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsMerge(
  config: MetricsMergeBootstrap,
  options: MetricsMergeOptions,
): Promise<MetricsMergeServer> {
  const { stats, logger } = options;
  const snapshot = options.snapshot ?? (() => Promise.resolve(stats.snapshot()));
  stats.registerCustomNamespace(STATS_NAMESPACE);
  const failures = stats.counter(`${STATS_NAMESPACE}.${SCRAPE_FAILURES_STAT}`);
  const dropped = stats.counter(`${STATS_NAMESPACE}.${DROPPED_SAMPLES_STAT}`);
  const timeoutMs = options.appTimeoutMs ?? DEFAULT_APP_TIMEOUT_MS;
  const server = await AdminServer.listen({
    address: config.address,
    port: options.port ?? config.port,
    logger,
    endpoints: [
      {
        path: METRICS_MERGE_PATH,
        help: "the proxy's stats and the application's metrics, in Prometheus format",
        methods: ['GET'],
        handle: async () => ({
          status: 200,
          contentType: PROMETHEUS_CONTENT_TYPE,
          body: await mergedBody(config.appMetrics, { snapshot, logger, failures, dropped, timeoutMs }),
        }),
      },
    ],
  });
  return { address: server.address, port: server.port, close: () => server.close() };
}

interface ScrapeContext {
  readonly snapshot: () => Promise<StatsSnapshot>;
  readonly logger: Logger;
  readonly failures: CounterStat;
  readonly dropped: CounterStat;
  readonly timeoutMs: number;
}

async function mergedBody(target: AppMetricsTarget | undefined, context: ScrapeContext): Promise<string> {
  if (!target) return renderPrometheus(await context.snapshot());
  const url = `http://127.0.0.1:${target.port}${target.path}`;
  let appText: string;
  try {
    appText = await fetchAppMetrics(target, context.timeoutMs);
  } catch (error) {
    // Counted before rendering, so this very scrape already shows the failure.
    context.failures.inc();
    const reason = (error as Error).message.replace(/\s+/g, ' ');
    context.logger.debug(`application metrics from ${url}: ${reason}`);
    return `${renderPrometheus(await context.snapshot())}# heddle: application metrics from ${url} unavailable: ${reason}\n`;
  }
  const merged = mergeExpositions(renderPrometheus(await context.snapshot()), appText);
  if (merged.droppedSamples > 0) {
    context.dropped.inc(merged.droppedSamples);
    context.logger.debug(
      `dropped ${merged.droppedSamples} application samples (families also exposed by the proxy: ` +
        `${merged.droppedFamilies.join(', ') || 'none'})`,
    );
  }
  return merged.text;
}

function fetchAppMetrics(target: AppMetricsTarget, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'GET',
        headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1' },
        // Never through an environment HTTP proxy: the application is on this machine's loopback.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`HTTP ${response.statusCode ?? 0}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_APP_BODY_BYTES) {
            outgoing.destroy(new Error(`response larger than ${MAX_APP_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error: Error) =>
      reject(
        error.name === 'TimeoutError' || error.name === 'AbortError'
          ? new Error(`no answer within ${timeoutMs} ms`)
          : error,
      ),
    );
    outgoing.end();
  });
}
