// The access loggers and the tracer of one HTTP connection manager, compiled when its config arrives.
import type { HttpConnectionManager } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { StatsSink } from '../../stats/stats-sink.ts';
import type { ClusterManagerView } from '../../upstream/cluster-view.ts';
import { compileAccessLogs, type AccessLogger } from '../access-log/access-log-config.ts';
import { HopTracer } from './hop-tracer.ts';
import { ProxyObservability } from './proxy-observability.ts';
import { compileTracing } from './tracer-config.ts';

export interface HcmLogsAndTracing {
  readonly loggers: readonly AccessLogger[];
  readonly tracer?: HopTracer;
}

/** Connection managers built without a proxy (tests, tools) share one set of outputs per cluster manager. */
const standalone = new WeakMap<ClusterManagerView, ProxyObservability>();

export function standaloneObservability(clusters: ClusterManagerView, stats: StatsSink): ProxyObservability {
  let outputs = standalone.get(clusters);
  if (!outputs) {
    outputs = new ProxyObservability({
      clusters,
      stats,
      identity: { nodeId: 'heddle-proxy', serviceName: 'heddle-proxy' },
    });
    standalone.set(clusters, outputs);
  }
  return outputs;
}

export function compileHcmLogsAndTracing(
  config: HttpConnectionManager,
  outputs: ProxyObservability,
  random: () => number,
): HcmLogsAndTracing | { readonly error: string } {
  const loggers = compileAccessLogs(config.accessLog, outputs.sinks);
  if ('error' in loggers) return loggers;
  if (!config.tracing) return { loggers };
  const tracing = compileTracing(config.tracing);
  if ('error' in tracing) return { error: `tracing: ${tracing.error}` };
  // Envoy takes the span kind from the listener's direction; Istio's inbound connection managers are the
  // ones whose stat prefix starts with "inbound".
  const kind = config.statPrefix.startsWith('inbound') ? 'SERVER' : 'CLIENT';
  return { loggers, tracer: new HopTracer(tracing, outputs, kind, random) };
}
