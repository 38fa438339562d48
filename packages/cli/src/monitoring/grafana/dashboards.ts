// Heddle's Grafana dashboards, on Istio's metric names so they also read a mesh's existing series: the mesh
// at a glance, one service, one workload, and the control plane.
import { dashboardJson, labelVariable, type PanelSpec } from './panels.ts';

export const DASHBOARDS = ['mesh', 'service', 'workload', 'control-plane'] as const;
export type DashboardName = (typeof DASHBOARDS)[number];

const W = '$__rate_interval';

function latency(selector: string, by: string, legend: string): PanelSpec {
  return {
    title: 'Request duration (p50 / p95 / p99)',
    type: 'timeseries',
    unit: 'ms',
    queries: [0.5, 0.95, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum(rate(istio_request_duration_milliseconds_bucket{${selector}}[${W}])) by (${by}le))`,
      legend: `${legend}p${q * 100}`,
    })),
  };
}

function successRate(selector: string, by: string): string {
  const sep = selector === '' ? '' : ',';
  return (
    `sum(rate(istio_requests_total{${selector}${sep}response_code!~"5.."}[${W}]))${by}` +
    ` / sum(rate(istio_requests_total{${selector}}[${W}]))${by}`
  );
}

function mesh(): PanelSpec[] {
  return [
    {
      title: 'Global request volume',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `round(sum(rate(istio_requests_total{reporter="source"}[${W}])), 0.01)` }],
    },
    {
      title: 'Global success rate (non-5xx)',
      type: 'stat',
      unit: 'percentunit',
      queries: [{ expr: successRate('reporter="source"', '') }],
    },
    {
      title: '4xx rate',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `sum(rate(istio_requests_total{reporter="source",response_code=~"4.."}[${W}]))` }],
    },
    {
      title: '5xx rate',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `sum(rate(istio_requests_total{reporter="source",response_code=~"5.."}[${W}]))` }],
    },
    {
      title: 'Request rate by service',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total[${W}])) by (destination_service)`,
          legend: '{{destination_service}}',
        },
      ],
    },
    {
      title: 'Error rate (5xx share) by service',
      type: 'timeseries',
      unit: 'percentunit',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{response_code=~"5.."}[${W}])) by (destination_service) / sum(rate(istio_requests_total[${W}])) by (destination_service)`,
          legend: '{{destination_service}}',
        },
      ],
    },
    {
      title: 'Latency p95 by service',
      type: 'timeseries',
      unit: 'ms',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket[${W}])) by (destination_service, le))`,
          legend: '{{destination_service}}',
        },
      ],
    },
    {
      title: 'TCP bytes sent by service',
      type: 'timeseries',
      unit: 'Bps',
      queries: [
        {
          expr: `sum(rate(istio_tcp_sent_bytes_total[${W}])) by (destination_service)`,
          legend: '{{destination_service}}',
        },
      ],
    },
    {
      title: 'Connection pool overflow (UO)',
      type: 'timeseries',
      unit: 'ops',
      queries: [
        {
          expr: `sum(rate(envoy_cluster_upstream_cx_overflow[${W}])) by (envoy_cluster_name)`,
          legend: 'cx {{envoy_cluster_name}}',
        },
        {
          expr: `sum(rate(envoy_cluster_upstream_rq_pending_overflow[${W}])) by (envoy_cluster_name)`,
          legend: 'pending {{envoy_cluster_name}}',
        },
      ],
    },
    {
      title: 'Outlier ejections active',
      type: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: 'sum(envoy_cluster_outlier_detection_ejections_active) by (envoy_cluster_name)',
          legend: '{{envoy_cluster_name}}',
        },
      ],
    },
  ];
}

function service(): PanelSpec[] {
  const s = 'destination_service=~"$service"';
  return [
    {
      title: 'Request rate',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `sum(rate(istio_requests_total{reporter=~"$reporter",${s}}[${W}]))` }],
    },
    {
      title: 'Success rate (non-5xx)',
      type: 'stat',
      unit: 'percentunit',
      queries: [{ expr: successRate(`reporter=~"$reporter",${s}`, '') }],
    },
    {
      title: 'p95 latency',
      type: 'stat',
      unit: 'ms',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{reporter=~"$reporter",${s}}[${W}])) by (le))`,
        },
      ],
    },
    {
      title: 'TCP connections opened',
      type: 'stat',
      unit: 'cps',
      queries: [{ expr: `sum(rate(istio_tcp_connections_opened_total{reporter=~"$reporter",${s}}[${W}]))` }],
    },
    {
      title: 'Requests by response code',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{reporter=~"$reporter",${s}}[${W}])) by (response_code)`,
          legend: '{{response_code}}',
        },
      ],
    },
    latency(`reporter=~"$reporter",${s}`, '', ''),
    {
      title: 'Requests by source workload',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{reporter=~"$reporter",${s}}[${W}])) by (source_workload, source_workload_namespace)`,
          legend: '{{source_workload}}.{{source_workload_namespace}}',
        },
      ],
    },
    {
      title: 'Requests by destination workload',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{reporter=~"$reporter",${s}}[${W}])) by (destination_workload, destination_version)`,
          legend: '{{destination_workload}} {{destination_version}}',
        },
      ],
    },
    {
      title: 'Request / response size p95',
      type: 'timeseries',
      unit: 'bytes',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum(rate(istio_request_bytes_bucket{reporter=~"$reporter",${s}}[${W}])) by (le))`,
          legend: 'request',
        },
        {
          expr: `histogram_quantile(0.95, sum(rate(istio_response_bytes_bucket{reporter=~"$reporter",${s}}[${W}])) by (le))`,
          legend: 'response',
        },
      ],
    },
    {
      title: 'Response flags',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{reporter=~"$reporter",${s},response_flags!="-"}[${W}])) by (response_flags)`,
          legend: '{{response_flags}}',
        },
      ],
    },
    {
      title: 'TCP bytes',
      type: 'timeseries',
      unit: 'Bps',
      queries: [
        {
          expr: `sum(rate(istio_tcp_received_bytes_total{reporter=~"$reporter",${s}}[${W}]))`,
          legend: 'received',
        },
        { expr: `sum(rate(istio_tcp_sent_bytes_total{reporter=~"$reporter",${s}}[${W}]))`, legend: 'sent' },
      ],
    },
    {
      title: 'mTLS share',
      type: 'timeseries',
      unit: 'percentunit',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{reporter="destination",${s},connection_security_policy="mutual_tls"}[${W}])) / sum(rate(istio_requests_total{reporter="destination",${s}}[${W}]))`,
          legend: 'mutual_tls',
        },
      ],
    },
  ];
}

function workload(): PanelSpec[] {
  const inbound =
    'reporter="destination",destination_workload_namespace=~"$namespace",destination_workload=~"$workload"';
  const outbound = 'reporter="source",source_workload_namespace=~"$namespace",source_workload=~"$workload"';
  return [
    {
      title: 'Inbound request rate',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `sum(rate(istio_requests_total{${inbound}}[${W}]))` }],
    },
    {
      title: 'Inbound success rate',
      type: 'stat',
      unit: 'percentunit',
      queries: [{ expr: successRate(inbound, '') }],
    },
    {
      title: 'Outbound request rate',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `sum(rate(istio_requests_total{${outbound}}[${W}]))` }],
    },
    {
      title: 'Outbound success rate',
      type: 'stat',
      unit: 'percentunit',
      queries: [{ expr: successRate(outbound, '') }],
    },
    {
      title: 'Inbound requests by source',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{${inbound}}[${W}])) by (source_workload, response_code)`,
          legend: '{{source_workload}} {{response_code}}',
        },
      ],
    },
    {
      ...latency(inbound, 'source_workload, ', '{{source_workload}} '),
      title: 'Inbound request duration by source',
    },
    {
      title: 'Outbound requests by destination',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum(rate(istio_requests_total{${outbound}}[${W}])) by (destination_service, response_code)`,
          legend: '{{destination_service}} {{response_code}}',
        },
      ],
    },
    {
      ...latency(outbound, 'destination_service, ', '{{destination_service}} '),
      title: 'Outbound request duration by destination',
    },
    {
      title: 'TCP traffic',
      type: 'timeseries',
      unit: 'Bps',
      queries: [
        {
          expr: `sum(rate(istio_tcp_received_bytes_total{${inbound}}[${W}])) by (source_workload)`,
          legend: 'in from {{source_workload}}',
        },
        {
          expr: `sum(rate(istio_tcp_sent_bytes_total{${outbound}}[${W}])) by (destination_service)`,
          legend: 'out to {{destination_service}}',
        },
      ],
    },
    {
      title: 'Proxy memory',
      type: 'timeseries',
      unit: 'bytes',
      queries: [{ expr: 'envoy_server_memory_allocated', legend: '{{instance}}' }],
    },
  ];
}

function controlPlane(): PanelSpec[] {
  const job = 'job=~"$job"';
  return [
    { title: 'Replicas up', type: 'stat', unit: 'short', queries: [{ expr: `sum(up{${job}})` }] },
    {
      title: 'Connected proxies',
      type: 'stat',
      unit: 'short',
      queries: [{ expr: `sum(pilot_xds{${job}})` }],
    },
    {
      title: 'Push errors (rate)',
      type: 'stat',
      unit: 'ops',
      queries: [{ expr: `sum(rate(pilot_xds_push_errors{${job}}[${W}]))` }],
    },
    {
      title: 'Rejected configs (rate)',
      type: 'stat',
      unit: 'ops',
      queries: [{ expr: `sum(rate(pilot_total_xds_rejects{${job}}[${W}]))` }],
    },
    {
      title: 'xDS pushes by type',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum(rate(pilot_xds_pushes{${job}}[${W}])) by (type)`, legend: '{{type}}' }],
    },
    {
      title: 'Proxy convergence time',
      type: 'timeseries',
      unit: 's',
      queries: [0.5, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum(rate(pilot_proxy_convergence_time_bucket{${job}}[${W}])) by (le))`,
        legend: `p${q * 100}`,
      })),
    },
    {
      title: 'Push time p99 by type',
      type: 'timeseries',
      unit: 's',
      queries: [
        {
          expr: `histogram_quantile(0.99, sum(rate(pilot_xds_push_time_bucket{${job}}[${W}])) by (type, le))`,
          legend: '{{type}}',
        },
      ],
    },
    {
      title: 'Connected proxies by version',
      type: 'timeseries',
      unit: 'short',
      queries: [{ expr: `sum(pilot_xds{${job}}) by (version)`, legend: '{{version}}' }],
    },
    {
      title: 'Memory',
      type: 'timeseries',
      unit: 'bytes',
      queries: [{ expr: `process_resident_memory_bytes{${job}}`, legend: '{{instance}}' }],
    },
    {
      title: 'CPU',
      type: 'timeseries',
      unit: 'percentunit',
      queries: [{ expr: `rate(process_cpu_seconds_total{${job}}[${W}])`, legend: '{{instance}}' }],
    },
  ];
}

export function grafanaDashboard(name: DashboardName): unknown {
  switch (name) {
    case 'mesh':
      return dashboardJson({
        uid: 'heddle-mesh',
        title: 'Heddle Mesh',
        description: 'Every service of the mesh: volume, errors, latency, TCP and circuit breaking.',
        variables: [],
        panels: mesh(),
      });
    case 'service':
      return dashboardJson({
        uid: 'heddle-service',
        title: 'Heddle Service',
        description: 'One service: requests by code, latency, callers and callees, sizes, TCP, mTLS.',
        variables: [
          labelVariable('service', 'destination_service', 'istio_requests_total'),
          {
            ...(labelVariable('reporter', 'reporter', 'istio_requests_total') as object),
            current: { text: 'destination', value: 'destination' },
          },
        ],
        panels: service(),
      });
    case 'workload':
      return dashboardJson({
        uid: 'heddle-workload',
        title: 'Heddle Workload',
        description: 'One workload: what it serves (reported by its own sidecar) and what it calls.',
        variables: [
          labelVariable('namespace', 'destination_workload_namespace', 'istio_requests_total'),
          labelVariable(
            'workload',
            'destination_workload',
            'istio_requests_total{destination_workload_namespace=~"$namespace"}',
          ),
        ],
        panels: workload(),
      });
    case 'control-plane':
      return dashboardJson({
        uid: 'heddle-control-plane',
        title: 'Heddle Control Plane',
        description:
          'The control plane: replicas, connected proxies, pushes, convergence, rejects, resources.',
        variables: [labelVariable('job', 'job', 'pilot_xds', true)],
        panels: controlPlane(),
      });
  }
}
