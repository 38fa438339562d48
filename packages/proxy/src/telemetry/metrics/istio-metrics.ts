// Istio's standard metrics: their Telemetry API names, Prometheus names, kinds, buckets and labels.

/** The Telemetry API's metric selectors (`overrides[].match.metric`), without ALL_METRICS. */
export const ISTIO_METRICS = [
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
] as const;
export type IstioMetric = (typeof ISTIO_METRICS)[number];

export const HTTP_METRICS: readonly IstioMetric[] = [
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
];
export const TCP_METRICS: readonly IstioMetric[] = [
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
];

/** Istio's request duration buckets, in milliseconds. */
export const ISTIO_DURATION_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000,
  3_600_000,
];

/** Istio's request/response size buckets, in bytes (powers of ten). */
export const ISTIO_SIZE_BUCKETS: readonly number[] = [
  1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000,
];

export interface MetricDefinition {
  /** The Prometheus name. */
  readonly name: string;
  readonly kind: 'counter' | 'histogram';
  readonly buckets?: readonly number[];
}

export const METRIC_DEFINITIONS: Readonly<Record<IstioMetric, MetricDefinition>> = {
  REQUEST_COUNT: { name: 'istio_requests_total', kind: 'counter' },
  REQUEST_DURATION: {
    name: 'istio_request_duration_milliseconds',
    kind: 'histogram',
    buckets: ISTIO_DURATION_BUCKETS,
  },
  REQUEST_SIZE: { name: 'istio_request_bytes', kind: 'histogram', buckets: ISTIO_SIZE_BUCKETS },
  RESPONSE_SIZE: { name: 'istio_response_bytes', kind: 'histogram', buckets: ISTIO_SIZE_BUCKETS },
  GRPC_REQUEST_MESSAGES: { name: 'istio_request_messages_total', kind: 'counter' },
  GRPC_RESPONSE_MESSAGES: { name: 'istio_response_messages_total', kind: 'counter' },
  TCP_OPENED_CONNECTIONS: { name: 'istio_tcp_connections_opened_total', kind: 'counter' },
  TCP_CLOSED_CONNECTIONS: { name: 'istio_tcp_connections_closed_total', kind: 'counter' },
  TCP_SENT_BYTES: { name: 'istio_tcp_sent_bytes_total', kind: 'counter' },
  TCP_RECEIVED_BYTES: { name: 'istio_tcp_received_bytes_total', kind: 'counter' },
};

/** Istio's standard labels of HTTP/gRPC metrics, in the order the label values are computed. */
export const HTTP_LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;
export type StandardLabel = (typeof HTTP_LABELS)[number];

/** TCP metrics carry the same labels but no response code or gRPC status. */
export const TCP_LABELS: readonly StandardLabel[] = HTTP_LABELS.filter(
  (label) => label !== 'response_code' && label !== 'grpc_response_status',
);

export function isIstioMetric(name: string): name is IstioMetric {
  return (ISTIO_METRICS as readonly string[]).includes(name);
}
