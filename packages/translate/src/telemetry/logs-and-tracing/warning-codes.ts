// Stable codes of the warnings the access-log and tracing translation emits.
export const TELEMETRY_WARNINGS = {
  /** A Telemetry names a provider that meshConfig.extensionProviders does not define (nor a built-in one). */
  PROVIDER_NOT_FOUND: 'HEDDLE_TELEMETRY_PROVIDER_NOT_FOUND',
  /** A provider of the wrong kind for the section, e.g. a `prometheus` provider under `tracing`. */
  PROVIDER_WRONG_KIND: 'HEDDLE_TELEMETRY_PROVIDER_WRONG_KIND',
  /** A tracing or access-log provider whose service is not in the registry: nothing to send spans/logs to. */
  COLLECTOR_NOT_FOUND: 'HEDDLE_TELEMETRY_COLLECTOR_NOT_FOUND',
  /** Several tracing providers selected; Envoy (and Istio) use one per proxy: the first is kept. */
  MULTIPLE_TRACING_PROVIDERS: 'HEDDLE_TELEMETRY_MULTIPLE_TRACING_PROVIDERS',
  /** A setting Heddle does not apply yet (e.g. `useRequestIdForTraceSampling: false`, `formatter` tags). */
  UNSUPPORTED_FIELD: 'HEDDLE_TELEMETRY_UNSUPPORTED_FIELD',
} as const;

/** A log format the proxy could not render (an unknown operator, or JSON that is not an object): dropped. */
export const INVALID_LOG_FORMAT = 'HEDDLE_TELEMETRY_INVALID_LOG_FORMAT';
