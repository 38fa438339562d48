// The `istio.stats` network filter of TCP chains: tags each connection with the chain's Istio TCP metrics,
// which tcp_proxy's session hooks then report (see telemetry/metrics/tcp-metrics.ts).
import { unpackTypedStruct } from '@heddle/xds';
import { asHistogramSink } from '../../../telemetry/metrics/histogram-sink.ts';
import { compileStatsConfig, STATS_CONFIG_TYPE_URL } from '../../../telemetry/metrics/stats-config.ts';
import { TcpMetrics } from '../../../telemetry/metrics/tcp-metrics.ts';
import type { NetworkFilterFactory } from '../network-filter.ts';

export { STATS_CONFIG_TYPE_URL };

export const istioTcpStatsFactory: NetworkFilterFactory = (typedConfig, context) => {
  const struct = unpackTypedStruct(typedConfig);
  if (!struct || struct.typeUrl !== STATS_CONFIG_TYPE_URL) {
    return { error: `istio.stats: expected a TypedStruct of ${STATS_CONFIG_TYPE_URL}` };
  }
  const compiled = compileStatsConfig(struct.value);
  if ('error' in compiled) return compiled;
  const sink = asHistogramSink(context.stats);
  if (!sink) return { error: 'istio.stats: the stats sink records no histograms' };
  const metrics = new TcpMetrics(sink, compiled);
  return {
    kind: 'read',
    onConnection(connection) {
      metrics.tag(connection.info);
      return true;
    },
  };
};
