// Fields people write that Istio does not have (or no longer has), with what to write instead.
// Keyed by the field name and the name of the object that holds it.

export interface FieldGuidance {
  /** Name of the parent field, or '*' for anywhere. */
  readonly parent: string;
  readonly field: string;
  readonly message: string;
  /** 'unknown': the field does not exist; 'deprecated': it exists but should not be used. */
  readonly kind: 'unknown' | 'deprecated';
}

export const FIELD_GUIDANCE: readonly FieldGuidance[] = [
  {
    parent: 'tcp',
    field: 'keepAlive',
    kind: 'unknown',
    message:
      'connectionPool.tcp has no "keepAlive"; the field is "tcpKeepalive" (with time, interval and probes)',
  },
  {
    parent: 'outlierDetection',
    field: 'consecutiveErrors',
    kind: 'deprecated',
    message:
      '"consecutiveErrors" is deprecated; use "consecutive5xxErrors" (5xx responses) and/or "consecutiveGatewayErrors" (502/503/504)',
  },
  {
    parent: 'outlierDetection',
    field: 'minRequestVolume',
    kind: 'unknown',
    message:
      'outlierDetection has no "minRequestVolume" in Istio (it is an Envoy success-rate setting); consecutive-error ejection needs no minimum volume. Remove it',
  },
  {
    parent: 'delay',
    field: 'percent',
    kind: 'deprecated',
    message: 'fault "percent" is deprecated; use "percentage: {value: <0-100>}"',
  },
  {
    parent: 'abort',
    field: 'percent',
    kind: 'deprecated',
    message: 'fault "percent" is deprecated; use "percentage: {value: <0-100>}"',
  },
  {
    parent: 'abort',
    field: 'http2Error',
    kind: 'deprecated',
    message: 'HTTP/2 error aborts are not supported; use "httpStatus" or "grpcStatus"',
  },
  {
    parent: 'loadBalancer',
    field: 'warmupDurationSecs',
    kind: 'deprecated',
    message: '"warmupDurationSecs" is deprecated; use "warmup: {duration: ...}"',
  },
  {
    parent: 'consistentHash',
    field: 'minimumRingSize',
    kind: 'deprecated',
    message: '"consistentHash.minimumRingSize" is deprecated; use "consistentHash.ringHash.minimumRingSize"',
  },
  {
    parent: 'spec',
    field: 'portLevelSettings',
    kind: 'unknown',
    message: '"portLevelSettings" belongs inside "trafficPolicy" (spec.trafficPolicy.portLevelSettings)',
  },
  {
    parent: 'spec',
    field: 'connectionPool',
    kind: 'unknown',
    message: '"connectionPool" belongs inside "trafficPolicy" (spec.trafficPolicy.connectionPool)',
  },
  {
    parent: 'spec',
    field: 'outlierDetection',
    kind: 'unknown',
    message: '"outlierDetection" belongs inside "trafficPolicy" (spec.trafficPolicy.outlierDetection)',
  },
  {
    parent: 'spec',
    field: 'loadBalancer',
    kind: 'unknown',
    message: '"loadBalancer" belongs inside "trafficPolicy" (spec.trafficPolicy.loadBalancer)',
  },
  {
    parent: 'http',
    field: 'mirror_percent',
    kind: 'unknown',
    message: '"mirror_percent" is not a field; use "mirrorPercentage: {value: <0-100>}"',
  },
  {
    parent: 'http',
    field: 'mirrorPercent',
    kind: 'deprecated',
    message: '"mirrorPercent" is deprecated; use "mirrorPercentage: {value: <0-100>}"',
  },
  {
    parent: 'metrics',
    field: 'dimensions',
    kind: 'unknown',
    message:
      'Telemetry metrics have no "dimensions"; add a label with "overrides: [{tagOverrides: {<label>: {operation: UPSERT, value: <CEL expression, e.g. request.path>}}}]"',
  },
];

export function guidanceFor(parent: string, field: string): FieldGuidance | undefined {
  return FIELD_GUIDANCE.find((g) => g.field === field && (g.parent === parent || g.parent === '*'));
}
