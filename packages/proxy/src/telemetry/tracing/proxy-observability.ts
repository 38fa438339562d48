// What every connection manager of one proxy shares for access logs and tracing: the log sinks (one per
// path), the span exporters (one per collector), and who this proxy is in spans. Closed with the proxy,
// which writes out buffered log lines and flushes queued spans.
import type { StatsSink } from '../../stats/stats-sink.ts';
import type { ClusterManagerView } from '../../upstream/cluster-view.ts';
import { LogSinks } from '../access-log/log-sink.ts';
import { encodeOtlp } from './otlp-json.ts';
import { SpanExporter } from './span-exporter.ts';
import type { CollectorConfig } from './tracer-config.ts';
import { encodeZipkin } from './zipkin-json.ts';

export interface ProxyIdentity {
  /** xDS node id, the `node_id` span tag. */
  readonly nodeId: string;
  /** Envoy's local cluster name (Istio: `<canonical service>.<namespace>`), the Zipkin service name. */
  readonly serviceName: string;
  readonly zone?: string;
}

export interface ProxyObservabilityOptions {
  readonly clusters: ClusterManagerView;
  readonly stats: StatsSink;
  readonly identity: ProxyIdentity;
  readonly sinks?: LogSinks;
  /** Exporter tuning, for tests. */
  readonly exporter?: {
    readonly batchSize?: number;
    readonly maxQueued?: number;
    readonly flushIntervalMs?: number;
  };
}

export class ProxyObservability {
  readonly sinks: LogSinks;
  readonly identity: ProxyIdentity;
  readonly #options: ProxyObservabilityOptions;
  readonly #exporters = new Map<string, SpanExporter>();

  constructor(options: ProxyObservabilityOptions) {
    this.#options = options;
    this.identity = options.identity;
    this.sinks = options.sinks ?? new LogSinks();
  }

  exporter(collector: CollectorConfig): SpanExporter {
    const key = `${collector.kind} ${collector.cluster} ${collector.authority}${collector.path}`;
    let exporter = this.#exporters.get(key);
    if (!exporter) {
      exporter = new SpanExporter(
        {
          cluster: collector.cluster,
          path: collector.path,
          authority: collector.authority,
          encode: collector.kind === 'zipkin' ? encodeZipkin : encodeOtlp,
          statPrefix: `tracing.${collector.kind}`,
          ...this.#options.exporter,
        },
        this.#options.clusters,
        this.#options.stats,
      );
      this.#exporters.set(key, exporter);
    }
    return exporter;
  }

  /** Writes buffered log lines and sends queued spans; for tests and before shutdown. */
  async flush(): Promise<void> {
    await Promise.all([this.sinks.flush(), ...[...this.#exporters.values()].map((e) => e.flush())]);
  }

  async close(): Promise<void> {
    const exporters = [...this.#exporters.values()];
    this.#exporters.clear();
    await Promise.all([this.sinks.close(), ...exporters.map((e) => e.close())]);
  }
}
