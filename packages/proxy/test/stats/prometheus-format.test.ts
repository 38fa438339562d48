// Prometheus exposition as Envoy writes it: envoy_ names from tag-extracted stats, labels from the tags,
// custom namespaces (Istio's metrics) without the prefix, histograms as cumulative buckets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPrometheus } from '../../src/stats/prometheus-format.ts';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { assertValidExposition } from './support/prometheus-lines.ts';

describe('Prometheus format', () => {
  it('names and labels stats as Envoy does', () => {
    const store = new StatsStore();
    store.counter('cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_total').inc(7);
    store.counter('cluster.x.upstream_rq_200').inc(3);
    store.counter('cluster.x.upstream_rq_2xx').inc(3);
    store.gauge('server.live').set(1);
    store.gauge('listener.0.0.0.0_15006.downstream_cx_active').set(4);
    const text = renderPrometheus(store.snapshot());
    assertValidExposition(text);
    assert.equal(
      text,
      [
        '# TYPE envoy_cluster_upstream_rq counter',
        'envoy_cluster_upstream_rq{envoy_response_code="200",envoy_cluster_name="x"} 3',
        '# TYPE envoy_cluster_upstream_rq_total counter',
        'envoy_cluster_upstream_rq_total{envoy_cluster_name="outbound|9080||reviews.default.svc.cluster.local"} 7',
        '# TYPE envoy_cluster_upstream_rq_xx counter',
        'envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",envoy_cluster_name="x"} 3',
        '# TYPE envoy_listener_downstream_cx_active gauge',
        'envoy_listener_downstream_cx_active{envoy_listener_address="0.0.0.0_15006"} 4',
        '# TYPE envoy_server_live gauge',
        'envoy_server_live 1',
        '',
      ].join('\n'),
    );
  });

  it("exports custom namespaces (Istio's metrics) without the envoy_ prefix, with escaped labels", () => {
    const store = new StatsStore();
    store
      .counter('istiocustom.istio_requests_total', { response_code: '200', destination_app: 'a"b\\c' })
      .inc(2);
    const duration = store.histogram(
      'istiocustom.istio_request_duration_milliseconds',
      { response_code: '200' },
      {
        buckets: [1, 5, 10],
      },
    );
    duration.record(0.5);
    duration.record(7);
    duration.record(70);
    const text = renderPrometheus(store.snapshot());
    assertValidExposition(text);
    assert.equal(
      text,
      [
        '# TYPE istio_request_duration_milliseconds histogram',
        'istio_request_duration_milliseconds_bucket{response_code="200",le="1"} 1',
        'istio_request_duration_milliseconds_bucket{response_code="200",le="5"} 1',
        'istio_request_duration_milliseconds_bucket{response_code="200",le="10"} 2',
        'istio_request_duration_milliseconds_bucket{response_code="200",le="+Inf"} 3',
        'istio_request_duration_milliseconds_sum{response_code="200"} 77.5',
        'istio_request_duration_milliseconds_count{response_code="200"} 3',
        '# TYPE istio_requests_total counter',
        'istio_requests_total{destination_app="a\\"b\\\\c",response_code="200"} 2',
        '',
      ].join('\n'),
    );
  });

  it('lets the telemetry work register more custom namespaces', () => {
    const store = new StatsStore();
    store.registerCustomNamespace('heddle');
    store.gauge('heddle.workload_up', { workload: 'product' }).set(1);
    assert.equal(
      renderPrometheus(store.snapshot()),
      '# TYPE workload_up gauge\nworkload_up{workload="product"} 1\n',
    );
  });
});
