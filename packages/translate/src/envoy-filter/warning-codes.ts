// Stable codes of the warnings EnvoyFilter patching emits; every one names the EnvoyFilter and the patch index.
export const ENVOY_FILTER_WARNINGS = {
  /** The patch value is not valid Envoy JSON for what applyTo patches (unknown field, unknown `@type` …). */
  INVALID_VALUE: 'HEDDLE_TRANSLATE_ENVOY_FILTER_INVALID_VALUE',
  /** applyTo EXTENSION_CONFIG, BOOTSTRAP, LISTENER_FILTER or an unknown value: Heddle does not patch it. */
  UNSUPPORTED_APPLY_TO: 'HEDDLE_TRANSLATE_ENVOY_FILTER_UNSUPPORTED_APPLY_TO',
  /** An operation that does nothing for this applyTo (Istio ignores it too), or a missing operation. */
  OPERATION_IGNORED: 'HEDDLE_TRANSLATE_ENVOY_FILTER_OPERATION_IGNORED',
  /** `match.proxy.proxyVersion` is not a regular expression this translator can run. */
  INVALID_PROXY_VERSION: 'HEDDLE_TRANSLATE_ENVOY_FILTER_INVALID_PROXY_VERSION',
  /** The patch adds a filter Heddle's proxy does not implement: Envoy accepts it, Heddle's proxy NACKs it. */
  PROXY_UNSUPPORTED_FILTER: 'HEDDLE_TRANSLATE_ENVOY_FILTER_PROXY_UNSUPPORTED_FILTER',
} as const;
