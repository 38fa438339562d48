// Filters get a StatsSink; Istio's metrics need histograms too, which the proxy's StatsStore records.
import type { StatsSink } from '../../stats/stats-sink.ts';
import type { HistogramSink } from '../../stats/stats-store.ts';

export function asHistogramSink(sink: StatsSink): HistogramSink | undefined {
  return typeof (sink as Partial<HistogramSink>).histogram === 'function'
    ? (sink as HistogramSink)
    : undefined;
}
