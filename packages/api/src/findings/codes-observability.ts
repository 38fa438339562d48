// Stable finding codes for the observability kinds (Telemetry) and for WasmPlugin (see codes.ts).

export const OBSERVABILITY_CODES = {
  /** More than one `tracing` entry: only one is supported. */
  TELEMETRY_TRACING_MULTIPLE: 'HEDDLE_TELEMETRY_TRACING_MULTIPLE',
  /** More than one provider in a `tracing` entry: only the first one is used. */
  TELEMETRY_TRACING_PROVIDERS: 'HEDDLE_TELEMETRY_TRACING_PROVIDERS',
  TELEMETRY_CUSTOM_TAG_INVALID: 'HEDDLE_TELEMETRY_CUSTOM_TAG_INVALID',
  TELEMETRY_TAG_OVERRIDE_INVALID: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
  TELEMETRY_METRIC_NAME_INVALID: 'HEDDLE_TELEMETRY_METRIC_NAME_INVALID',
  /** A CEL expression (access-log filter, tag override value) that is empty or not well formed. */
  TELEMETRY_EXPRESSION_INVALID: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
  WASM_URL_INVALID: 'HEDDLE_WASM_URL_INVALID',
  WASM_URL_INSECURE: 'HEDDLE_WASM_URL_INSECURE',
  WASM_SHA256_MISMATCH: 'HEDDLE_WASM_SHA256_MISMATCH',
  /** imagePullPolicy / imagePullSecret on a URL they do not apply to. */
  WASM_PULL_SETTING_IGNORED: 'HEDDLE_WASM_PULL_SETTING_IGNORED',
  WASM_ENV_INVALID: 'HEDDLE_WASM_ENV_INVALID',
  /** Heddle's own proxy does not execute Wasm modules; the resource is kept for Envoy consumers of its xDS. */
  WASM_NOT_EXECUTED: 'HEDDLE_WASM_NOT_EXECUTED',
} as const;
