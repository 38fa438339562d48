// The seeds' Prometheus alerts on Heddle's real metric names: Istio's request metrics from the proxies,
// Envoy's cluster and server stats, and the control plane's `pilot_*` and process series.

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

export interface AlertOptions {
  /** The Prometheus job that scrapes the control plane's monitoring port (15014). */
  readonly controlPlaneJob: string;
  /** Replaces every rule's `for:` (tests, or a mesh that wants faster paging). */
  readonly forOverride?: string;
  /** 5xx share of requests above which a service alerts (0.05 = 5%). */
  readonly errorRateThreshold: number;
  /** p95 latency in milliseconds above which a service alerts. */
  readonly latencyThresholdMs: number;
  /** Proxy heap in bytes above which a proxy alerts. */
  readonly proxyMemoryBytes: number;
  /** Control-plane resident memory in bytes above which it alerts. */
  readonly controlPlaneMemoryBytes: number;
  /** The rate window of the PromQL (`5m` as in the seeds). */
  readonly window: string;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  controlPlaneJob: 'heddle-control-plane',
  errorRateThreshold: 0.05,
  latencyThresholdMs: 500,
  proxyMemoryBytes: 512 * 1024 * 1024,
  controlPlaneMemoryBytes: 4 * 1024 * 1024 * 1024,
  window: '5m',
};

export function meshAlertRules(options: AlertOptions = DEFAULT_ALERT_OPTIONS): RuleGroup[] {
  const w = options.window;
  const wait = (seeded: string): string => options.forOverride ?? seeded;
  const cpJob = options.controlPlaneJob;
  return [
    {
      name: 'heddle-mesh',
      rules: [
        {
          alert: 'HeddleHighErrorRate',
          expr:
            `sum(rate(istio_requests_total{response_code=~"5.."}[${w}])) by (destination_service)` +
            ` / sum(rate(istio_requests_total[${w}])) by (destination_service) > ${options.errorRateThreshold}`,
          for: wait('2m'),
          labels: { severity: 'critical' },
          annotations: {
            summary: 'High error rate for {{ $labels.destination_service }}',
            description: `More than ${options.errorRateThreshold * 100}% of the requests to {{ $labels.destination_service }} end in 5xx.`,
          },
        },
        {
          alert: 'HeddleHighLatency',
          expr:
            `histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket[${w}])) by (destination_service, le))` +
            ` > ${options.latencyThresholdMs}`,
          for: wait('5m'),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Slow responses from {{ $labels.destination_service }}',
            description: `The 95th percentile latency of {{ $labels.destination_service }} is above ${options.latencyThresholdMs} ms.`,
          },
        },
        {
          alert: 'HeddleConnectionPoolOverflow',
          expr:
            `sum(rate(envoy_cluster_upstream_cx_overflow[${w}])) by (envoy_cluster_name)` +
            ` + sum(rate(envoy_cluster_upstream_rq_pending_overflow[${w}])) by (envoy_cluster_name) > 0`,
          for: wait('5m'),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Connection pool overflow on {{ $labels.envoy_cluster_name }}',
            description:
              'The DestinationRule connectionPool limits of {{ $labels.envoy_cluster_name }} are turning requests away (response flag UO).',
          },
        },
        {
          alert: 'HeddleOutlierEjections',
          expr: 'sum(envoy_cluster_outlier_detection_ejections_active) by (envoy_cluster_name) > 0',
          for: wait('5m'),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Hosts ejected from {{ $labels.envoy_cluster_name }}',
            description:
              'Outlier detection keeps hosts of {{ $labels.envoy_cluster_name }} out of load balancing.',
          },
        },
        {
          alert: 'HeddleProxyHighMemory',
          expr: `envoy_server_memory_allocated > ${options.proxyMemoryBytes}`,
          for: wait('5m'),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Proxy {{ $labels.instance }} uses a lot of memory',
            description: `The proxy's allocated memory is above ${options.proxyMemoryBytes} bytes.`,
          },
        },
      ],
    },
    {
      name: 'heddle-control-plane',
      rules: [
        {
          alert: 'HeddleControlPlaneDown',
          expr: `up{job="${cpJob}"} == 0`,
          for: wait('1m'),
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Control plane {{ $labels.instance }} is down',
            description:
              'Prometheus cannot scrape the control plane; proxies keep their last configuration but get no updates.',
          },
        },
        {
          alert: 'HeddlePushErrors',
          expr: `sum(rate(pilot_xds_push_errors[${w}])) by (instance, type) > 0`,
          for: wait('5m'),
          labels: { severity: 'critical' },
          annotations: {
            summary: 'xDS push errors on {{ $labels.instance }}',
            description: 'Pushes of {{ $labels.type }} fail to translate or to send.',
          },
        },
        {
          alert: 'HeddleConfigRejected',
          expr: `sum(rate(pilot_total_xds_rejects[${w}])) by (instance, type) > 0`,
          for: wait('5m'),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Proxies reject {{ $labels.type }} configuration',
            description: 'Proxies NACK what the control plane sends; `heddle proxy-status` shows which.',
          },
        },
        {
          alert: 'HeddleControlPlaneHighMemory',
          expr: `process_resident_memory_bytes{job="${cpJob}"} > ${options.controlPlaneMemoryBytes}`,
          for: wait('5m'),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Control plane {{ $labels.instance }} memory is high',
            description: `Resident memory is above ${options.controlPlaneMemoryBytes} bytes.`,
          },
        },
      ],
    },
  ];
}

/** The same groups as a prometheus-operator PrometheusRule, the shape the seeds apply. */
export function prometheusRuleResource(groups: readonly RuleGroup[], namespace: string): unknown {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'heddle-alerts', namespace },
    spec: { groups },
  };
}
