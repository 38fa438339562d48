// Envoy's default tag extraction turns the dynamic parts of stat names into labels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractTags } from '../../src/stats/tag-extraction.ts';

describe('tag extraction', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['cluster.x.upstream_rq_total', 'cluster.upstream_rq_total', { 'envoy.cluster_name': 'x' }],
    [
      'cluster.outbound|9080|v2|reviews.default.svc.cluster.local.upstream_cx_active',
      'cluster.upstream_cx_active',
      { 'envoy.cluster_name': 'outbound|9080|v2|reviews.default.svc.cluster.local' },
    ],
    [
      'cluster.outbound|80||api.internal.example.com.upstream_rq_200',
      'cluster.upstream_rq',
      { 'envoy.response_code': '200', 'envoy.cluster_name': 'outbound|80||api.internal.example.com' },
    ],
    [
      'cluster.inbound|8080||.upstream_rq_5xx',
      'cluster.upstream_rq_xx',
      { 'envoy.response_code_class': '5', 'envoy.cluster_name': 'inbound|8080||' },
    ],
    [
      'cluster.a.b.outlier_detection.ejections_active',
      'cluster.outlier_detection.ejections_active',
      { 'envoy.cluster_name': 'a.b' },
    ],
    [
      'cluster.a.circuit_breakers.default.rq_open',
      'cluster.circuit_breakers.default.rq_open',
      { 'envoy.cluster_name': 'a' },
    ],
    [
      'cluster.a.internal.upstream_rq_503',
      'cluster.internal.upstream_rq',
      { 'envoy.response_code': '503', 'envoy.cluster_name': 'a' },
    ],
    [
      'listener.0.0.0.0_15006.downstream_cx_total',
      'listener.downstream_cx_total',
      { 'envoy.listener_address': '0.0.0.0_15006' },
    ],
    [
      'listener.[__]_80.http.inbound_0.0.0.0_80.downstream_rq_2xx',
      'listener.http.downstream_rq_xx',
      {
        'envoy.response_code_class': '2',
        'envoy.listener_address': '[__]_80',
        'envoy.http_conn_manager_prefix': 'inbound_0.0.0.0_80',
      },
    ],
    [
      'http.outbound_0.0.0.0_9080.downstream_rq_total',
      'http.downstream_rq_total',
      { 'envoy.http_conn_manager_prefix': 'outbound_0.0.0.0_9080' },
    ],
    [
      'http.ingress_http.rbac.denied',
      'http.rbac.denied',
      { 'envoy.http_conn_manager_prefix': 'ingress_http' },
    ],
    [
      'tcp.outbound|3306||db.default.svc.cluster.local.downstream_cx_total',
      'tcp.downstream_cx_total',
      { 'envoy.tcp_prefix': 'outbound|3306||db.default.svc.cluster.local' },
    ],
    ['server.live', 'server.live', {}],
    ['cluster_manager.cds.update_rejected', 'cluster_manager.cds.update_rejected', {}],
  ];
  for (const [name, extracted, tags] of cases) {
    it(name, () => {
      const result = extractTags(name);
      assert.equal(result.name, extracted);
      assert.deepEqual(Object.fromEntries(result.tags), tags);
    });
  }
});
