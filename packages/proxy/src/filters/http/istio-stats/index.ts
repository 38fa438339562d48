// The `istio.stats` HTTP filter factory: Istio's standard request metrics and the peer metadata exchange,
// configured by a TypedStruct `type.heddle.dev/heddle.telemetry.v1.StatsConfig`, compiled once per update.
import { HTTP_FILTERS, unpackTypedStruct } from '@heddle/xds';
import { asHistogramSink } from '../../../telemetry/metrics/histogram-sink.ts';
import { HttpMetrics } from '../../../telemetry/metrics/http-metrics.ts';
import { compileStatsConfig, STATS_CONFIG_TYPE_URL } from '../../../telemetry/metrics/stats-config.ts';
import type { HttpFilterFactory } from '../http-filter.ts';
import { IstioStatsFilter } from './filter.ts';

export const istioStatsFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.ISTIO_STATS,
  configTypeUrls: [STATS_CONFIG_TYPE_URL],
  perRouteTypeUrls: [],
  createFilterFactory(config, context) {
    const struct = config ? unpackTypedStruct(config) : undefined;
    if (!struct || struct.typeUrl !== STATS_CONFIG_TYPE_URL) {
      return { error: `istio.stats: expected a TypedStruct of ${STATS_CONFIG_TYPE_URL}` };
    }
    const compiled = compileStatsConfig(struct.value);
    if ('error' in compiled) return compiled;
    const sink = asHistogramSink(context.stats);
    if (!sink) return { error: 'istio.stats: the stats sink records no histograms' };
    const metrics = new HttpMetrics(sink, compiled);
    return { value: { createFilter: (callbacks) => new IstioStatsFilter(metrics, callbacks) } };
  },
};
