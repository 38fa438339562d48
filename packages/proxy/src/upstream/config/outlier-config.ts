// outlier_detection with Envoy's defaults: 5 consecutive 5xx (enforced), 5 gateway failures (not enforced),
// 10 s sweeps, 30 s × ejections up to 300 s, at most 10% ejected, success rate and failure percentage.
import type { OutlierDetection } from '@heddle/xds/gen/envoy/config/cluster/v3/outlier_detection_pb.ts';
import type { OutlierConfig } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';

export function compileOutlierDetection(
  outlier: OutlierDetection | undefined,
  where: string,
): OutlierConfig | undefined {
  if (!outlier) return undefined;
  const at = `${where}: outlier_detection`;
  if (outlier.monitors.length > 0) throw new ClusterConfigError(`${at}.monitors: not supported`);
  if (outlier.successfulActiveHealthCheckUnejectHost === true) {
    throw new ClusterConfigError(
      `${at}.successful_active_health_check_uneject_host: active health checks are not supported`,
    );
  }
  const baseEjectionMs = durationMs(outlier.baseEjectionTime, 30_000);
  const config: OutlierConfig = {
    intervalMs: durationMs(outlier.interval, 10_000),
    baseEjectionMs,
    maxEjectionMs: Math.max(durationMs(outlier.maxEjectionTime, 300_000), baseEjectionMs),
    maxEjectionPercent: outlier.maxEjectionPercent ?? 10,
    consecutive5xx: outlier.consecutive5xx ?? 5,
    enforcingConsecutive5xx: outlier.enforcingConsecutive5xx ?? 100,
    consecutiveGatewayFailure: outlier.consecutiveGatewayFailure ?? 5,
    enforcingConsecutiveGatewayFailure: outlier.enforcingConsecutiveGatewayFailure ?? 0,
    splitExternalLocalOriginErrors: outlier.splitExternalLocalOriginErrors,
    consecutiveLocalOriginFailure: outlier.consecutiveLocalOriginFailure ?? 5,
    enforcingConsecutiveLocalOriginFailure: outlier.enforcingConsecutiveLocalOriginFailure ?? 100,
    enforcingSuccessRate: outlier.enforcingSuccessRate ?? 100,
    successRateMinimumHosts: outlier.successRateMinimumHosts ?? 5,
    successRateRequestVolume: outlier.successRateRequestVolume ?? 100,
    successRateStdevFactor: outlier.successRateStdevFactor ?? 1900,
    failurePercentageThreshold: outlier.failurePercentageThreshold ?? 85,
    enforcingFailurePercentage: outlier.enforcingFailurePercentage ?? 0,
    failurePercentageMinimumHosts: outlier.failurePercentageMinimumHosts ?? 5,
    failurePercentageRequestVolume: outlier.failurePercentageRequestVolume ?? 50,
  };
  if (config.intervalMs <= 0) throw new ClusterConfigError(`${at}.interval: must be greater than 0`);
  if (config.maxEjectionPercent > 100)
    throw new ClusterConfigError(`${at}.max_ejection_percent: at most 100`);
  if ((outlier.enforcingLocalOriginSuccessRate ?? 0) > 0 && outlier.splitExternalLocalOriginErrors) {
    throw new ClusterConfigError(`${at}.enforcing_local_origin_success_rate: not supported`);
  }
  if ((outlier.enforcingFailurePercentageLocalOrigin ?? 0) > 0 && outlier.splitExternalLocalOriginErrors) {
    throw new ClusterConfigError(`${at}.enforcing_failure_percentage_local_origin: not supported`);
  }
  return config;
}
