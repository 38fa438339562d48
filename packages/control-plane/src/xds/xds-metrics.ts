// How ADS events land in the pilot_* series, with Istio's labels.
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { XdsType } from './xds-types.ts';

export function recordRejectMetrics(metrics: PilotMetrics, type: XdsType, node: string, code: number): void {
  metrics.totalRejects.inc({ type: type.short });
  const perType = {
    cds: metrics.cdsReject,
    eds: metrics.edsReject,
    lds: metrics.ldsReject,
    rds: metrics.rdsReject,
    sds: undefined,
  };
  perType[type.short]?.inc({ node, err: String(code) });
}

export function recordResponseMetrics(metrics: PilotMetrics, type: XdsType, bytes: number): void {
  metrics.pushes.inc({ type: type.short });
  metrics.configSize.observe({ type: type.short }, bytes);
}

/** After the write completed (or failed): send and push time, or Istio's `<type>_senderr`. */
export function recordWriteMetrics(
  metrics: PilotMetrics,
  type: XdsType,
  seconds: number,
  failed: boolean,
): void {
  if (failed) {
    metrics.pushes.inc({ type: `${type.short}_senderr` });
    metrics.pushErrors.inc({ type: 'send' });
    return;
  }
  metrics.sendTime.observe({}, seconds);
  metrics.pushTime.observe({ type: type.short }, seconds);
}
