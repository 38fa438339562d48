// Stable codes of the warnings the metrics part of the Telemetry API translation gives.
export const METRICS_WARNINGS = {
  /** A tagOverrides value the proxy cannot evaluate: the override is left out. */
  TAG_EXPRESSION_UNSUPPORTED: 'HEDDLE_TELEMETRY_METRICS_TAG_EXPRESSION_UNSUPPORTED',
  /** `match.customMetric`: Heddle produces only Istio's standard metrics; the override is left out. */
  CUSTOM_METRIC_UNSUPPORTED: 'HEDDLE_TELEMETRY_METRICS_CUSTOM_METRIC_UNSUPPORTED',
  /** A tag name Prometheus cannot carry as a label. */
  TAG_NAME_INVALID: 'HEDDLE_TELEMETRY_METRICS_TAG_NAME_INVALID',
} as const;
