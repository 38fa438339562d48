// Envoy extension names the access-log and tracing config refers to.
export const ACCESS_LOGGERS = {
  FILE: 'envoy.access_loggers.file',
  CEL_FILTER: 'envoy.access_loggers.extension_filters.cel',
} as const;

export const TRACERS = {
  ZIPKIN: 'envoy.tracers.zipkin',
  OPENTELEMETRY: 'envoy.tracers.opentelemetry',
} as const;

/** Zipkin v2 JSON span intake path, as Istio configures it. */
export const ZIPKIN_SPANS_PATH = '/api/v2/spans';
/** OTLP/HTTP trace intake path. */
export const OTLP_TRACES_PATH = '/v1/traces';
