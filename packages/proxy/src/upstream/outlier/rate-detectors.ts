// The interval detectors of outlier detection: success rate (below mean − stdev_factor/1000 × stdev among
// hosts with enough requests) and failure percentage (at or above the threshold).
import type { OutlierConfig } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';

export type DetectorKind =
  | 'consecutive_5xx'
  | 'consecutive_gateway_failure'
  | 'consecutive_local_origin_failure'
  | 'success_rate'
  | 'failure_percentage';

export function detectOutliersByRate(hosts: readonly Host[], config: OutlierConfig): [Host, DetectorKind][] {
  const found: [Host, DetectorKind][] = [];
  const rated = hosts.filter((h) => h.outlier.intervalRequests >= config.successRateRequestVolume);
  if (config.enforcingSuccessRate > 0 && rated.length >= config.successRateMinimumHosts && rated.length > 0) {
    const rates = rated.map((h) => (100 * h.outlier.intervalSuccesses) / h.outlier.intervalRequests);
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    const stdev = Math.sqrt(rates.reduce((a, r) => a + (r - mean) ** 2, 0) / rates.length);
    const threshold = mean - (config.successRateStdevFactor / 1000) * stdev;
    rated.forEach((h, i) => {
      if ((rates[i] as number) < threshold) found.push([h, 'success_rate']);
    });
  }
  const counted = hosts.filter((h) => h.outlier.intervalRequests >= config.failurePercentageRequestVolume);
  if (config.enforcingFailurePercentage > 0 && counted.length >= config.failurePercentageMinimumHosts) {
    for (const h of counted) {
      const failed =
        (100 * (h.outlier.intervalRequests - h.outlier.intervalSuccesses)) / h.outlier.intervalRequests;
      if (failed >= config.failurePercentageThreshold) found.push([h, 'failure_percentage']);
    }
  }
  return found;
}
