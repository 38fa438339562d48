// DestinationRule outlierDetection as Envoy cluster outlier detection, with Istio's mapping of each field.
import { create } from '@bufbuild/protobuf';
import type { OutlierDetection } from '@heddle/api';
import {
  OutlierDetectionSchema,
  type OutlierDetection as EnvoyOutlierDetection,
} from '@heddle/xds/gen/envoy/config/cluster/v3/outlier_detection_pb.ts';
import { protoDuration } from './proto-duration.ts';

/** Envoy ejects with this % chance once a threshold is hit; Istio uses all or nothing. */
const ALWAYS = 100;

/** Undefined when the rule sets none: Istio then ejects no host. */
export function outlierDetectionFor(
  outlier: OutlierDetection | undefined,
): EnvoyOutlierDetection | undefined {
  if (!outlier) return undefined;
  const out = create(OutlierDetectionSchema, {
    interval: protoDuration(outlier.interval),
    baseEjectionTime: protoDuration(outlier.baseEjectionTime),
    // Istio never ejects on success rate; only the consecutive-error detectors apply.
    enforcingSuccessRate: 0,
  });
  if (outlier.maxEjectionPercent !== undefined && outlier.maxEjectionPercent > 0) {
    out.maxEjectionPercent = outlier.maxEjectionPercent;
  }
  // The deprecated field counted only 502/503/504 (Istio's documented meaning): gateway failures, with
  // the 5xx detector off. The fields that replaced it win where they are set.
  if (outlier.consecutiveErrors !== undefined && outlier.consecutiveErrors > 0) {
    out.consecutiveGatewayFailure = outlier.consecutiveErrors;
    out.enforcingConsecutiveGatewayFailure = ALWAYS;
    out.enforcingConsecutive5xx = 0;
  }
  if (outlier.consecutive5xxErrors !== undefined) {
    out.consecutive5xx = outlier.consecutive5xxErrors;
    out.enforcingConsecutive5xx = outlier.consecutive5xxErrors > 0 ? ALWAYS : 0;
  }
  if (outlier.consecutiveGatewayErrors !== undefined) {
    out.consecutiveGatewayFailure = outlier.consecutiveGatewayErrors;
    out.enforcingConsecutiveGatewayFailure = outlier.consecutiveGatewayErrors > 0 ? ALWAYS : 0;
  }
  if (outlier.splitExternalLocalOriginErrors === true) {
    out.splitExternalLocalOriginErrors = true;
    if (outlier.consecutiveLocalOriginFailures !== undefined && outlier.consecutiveLocalOriginFailures > 0) {
      out.consecutiveLocalOriginFailure = outlier.consecutiveLocalOriginFailures;
      out.enforcingConsecutiveLocalOriginFailure = ALWAYS;
    }
    out.enforcingLocalOriginSuccessRate = 0;
  }
  return out;
}

/**
 * minHealthPercent becomes Envoy's panic threshold whenever outlier detection is on; its default 0 turns
 * panic mode off, so ejected hosts stay out even when few remain (Istio's behaviour).
 */
export function healthyPanicThresholdFor(outlier: OutlierDetection | undefined): number | undefined {
  if (!outlier) return undefined;
  return Math.max(0, outlier.minHealthPercent ?? 0);
}
