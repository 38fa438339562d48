// The service graph from fixed metric increases: a 90/10 canary as two edges from the service, mTLS only
// when every request used it, TCP edges from the client's report, one count per request when both proxies
// report it, external and unknown nodes, idle registered nodes, and the namespace filter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MeshGraph } from '@heddle/api';
import { buildMeshGraph, type GraphInput } from '../../src/dashboard/build-mesh-graph.ts';
import { MetricsHistory } from '../../src/mesh-metrics/metrics-history.ts';
import type { PrometheusSample } from '../../src/mesh-metrics/prometheus-text.ts';
import { durationSamples, productLabels, sample, type Labels } from '../mesh-metrics/fixtures.ts';

const T0 = 1_700_000_000_000;
const REQUESTS = 'istio_requests_total';
const SERVICE = 'service:shop/product.shop.svc.cluster.local';

/** One proxy's counters go from zero to `samples` in 10 s. */
function graphOf(samples: PrometheusSample[], extra: Partial<GraphInput> = {}): MeshGraph {
  const history = new MetricsHistory({ retentionMs: 900_000 });
  history.record(T0, [{ target: 'a', samples: [] }]);
  history.record(T0 + 10_000, [{ target: 'a', samples }]);
  return buildMeshGraph({
    generatedAt: new Date(T0 + 10_000).toISOString(),
    windowSeconds: 60,
    traffic: history.window(T0 + 10_000, 60_000),
    services: [],
    workloads: [],
    proxies: [],
    ...extra,
  });
}

const edgeOf = (graph: MeshGraph, id: string) => graph.edges.find((edge) => edge.id === id);
const nodeOf = (graph: MeshGraph, id: string) => graph.nodes.find((node) => node.id === id);

describe('buildMeshGraph', () => {
  it('shows a 90/10 canary as two edges from the service to the two versions', () => {
    const graph = graphOf([
      sample(REQUESTS, productLabels('v1'), 855),
      sample(REQUESTS, productLabels('v1', { response_code: '503' }), 45),
      sample(REQUESTS, productLabels('v2'), 100),
      ...durationSamples(productLabels('v1'), { '5': 0, '10': 450, '25': 450, '+Inf': 0 }),
    ]);
    assert.deepEqual(
      graph.edges.map((e) => e.id),
      [
        `${SERVICE}->workload:shop/product-v1`,
        `${SERVICE}->workload:shop/product-v2`,
        `workload:shop/frontend->${SERVICE}`,
      ],
    );
    const v1 = edgeOf(graph, `${SERVICE}->workload:shop/product-v1`);
    const v2 = edgeOf(graph, `${SERVICE}->workload:shop/product-v2`);
    assert.deepEqual(v1?.traffic, { requestsPerSecond: 90, errorRate: 0.05, p50Ms: 10, p99Ms: 24.7 });
    assert.deepEqual(v1?.responseCodes, { '200': 85.5, '503': 4.5 });
    assert.deepEqual(v2?.traffic, { requestsPerSecond: 10, errorRate: 0 });
    assert.equal(edgeOf(graph, `workload:shop/frontend->${SERVICE}`)?.traffic.requestsPerSecond, 100);
    assert.equal(nodeOf(graph, SERVICE)?.traffic?.requestsPerSecond, 100);
    assert.equal(nodeOf(graph, 'workload:shop/product-v2')?.traffic?.requestsPerSecond, 10);
    assert.deepEqual(nodeOf(graph, 'workload:shop/product-v2'), {
      id: 'workload:shop/product-v2',
      kind: 'workload',
      label: 'product-v2',
      namespace: 'shop',
      app: 'product',
      version: 'v2',
      workload: 'product-v2',
      traffic: { requestsPerSecond: 10, errorRate: 0 },
    });
    assert.equal(nodeOf(graph, SERVICE)?.label, 'product');
    assert.equal(v1?.protocol, 'http');
  });

  it('marks an edge mTLS only when every request on it used mutual TLS', () => {
    const graph = graphOf([
      sample(REQUESTS, productLabels('v1'), 10),
      sample(REQUESTS, productLabels('v2', { connection_security_policy: 'none' }), 1),
      sample(REQUESTS, productLabels('v2'), 9),
    ]);
    assert.equal(edgeOf(graph, `${SERVICE}->workload:shop/product-v1`)?.mtls, true);
    assert.equal(edgeOf(graph, `${SERVICE}->workload:shop/product-v2`)?.mtls, false);
    assert.equal(edgeOf(graph, `workload:shop/frontend->${SERVICE}`)?.mtls, false);
  });

  it('counts a request both proxies report once, from the destination', () => {
    const graph = graphOf([
      sample(REQUESTS, productLabels('v1'), 100),
      sample(
        REQUESTS,
        productLabels('v1', { reporter: 'source', connection_security_policy: 'unknown' }),
        100,
      ),
    ]);
    assert.equal(edgeOf(graph, `workload:shop/frontend->${SERVICE}`)?.traffic.requestsPerSecond, 10);
  });

  it('counts from the source where no destination proxy reports: external hosts and failed requests', () => {
    const toExternal: Labels = {
      reporter: 'source',
      source_workload: 'order',
      source_workload_namespace: 'shop',
      destination_workload: 'unknown',
      destination_workload_namespace: 'unknown',
      destination_service: 'api.stripe.com',
      destination_service_namespace: 'shop',
      request_protocol: 'http',
      response_code: '200',
      connection_security_policy: 'unknown',
    };
    const graph = graphOf(
      [
        sample(REQUESTS, toExternal, 20),
        sample(
          REQUESTS,
          productLabels('unknown', {
            reporter: 'source',
            destination_workload: 'unknown',
            response_code: '503',
          }),
          30,
        ),
      ],
      { services: [{ hostname: 'api.stripe.com', namespace: 'shop', location: 'MESH_EXTERNAL' }] },
    );
    const external = nodeOf(graph, 'service:shop/api.stripe.com');
    assert.equal(external?.kind, 'external');
    assert.equal(external?.label, 'api.stripe.com');
    assert.equal(
      edgeOf(graph, 'workload:shop/order->service:shop/api.stripe.com')?.traffic.requestsPerSecond,
      2,
    );
    const failed = edgeOf(graph, `workload:shop/frontend->${SERVICE}`);
    assert.deepEqual(failed?.traffic, { requestsPerSecond: 3, errorRate: 1 });
    assert.equal(graph.edges.length, 2, 'no edge to an unknown workload');
  });

  it('draws TCP edges from the client report and the server report, with bytes per second', () => {
    const tcp: Labels = {
      ...productLabels('v1', { request_protocol: 'tcp', response_code: '' }),
      destination_service: 'db.shop.svc.cluster.local',
    };
    const clientSide: Labels = {
      ...tcp,
      reporter: 'source',
      destination_workload: 'unknown',
      connection_security_policy: 'unknown',
    };
    const serverSide: Labels = { ...tcp, source_workload: 'unknown', destination_workload: 'db' };
    const graph = graphOf([
      sample('istio_tcp_sent_bytes_total', clientSide, 3000),
      sample('istio_tcp_received_bytes_total', clientSide, 7000),
      sample('istio_tcp_sent_bytes_total', serverSide, 7000),
      sample('istio_tcp_received_bytes_total', serverSide, 3000),
    ]);
    const toService = edgeOf(graph, 'workload:shop/frontend->service:shop/db.shop.svc.cluster.local');
    const toWorkload = edgeOf(graph, 'service:shop/db.shop.svc.cluster.local->workload:shop/db');
    assert.equal(toService?.protocol, 'tcp');
    assert.equal(toService?.bytesPerSecond, 1000);
    assert.deepEqual(toService?.responseCodes, {});
    assert.equal(toService?.mtls, false);
    assert.equal(toWorkload?.bytesPerSecond, 1000);
    assert.equal(toWorkload?.mtls, true);
    assert.equal(graph.edges.length, 2, 'no edge from an unknown source for mesh (mTLS) traffic');
  });

  it('shows requests from outside the mesh as coming from an unknown node, and gateways as gateways', () => {
    const graph = graphOf([
      sample(
        REQUESTS,
        productLabels('v1', {
          source_workload: 'unknown',
          source_workload_namespace: 'unknown',
          connection_security_policy: 'none',
        }),
        10,
      ),
      sample(
        REQUESTS,
        productLabels('v2', {
          source_workload: 'istio-ingressgateway',
          source_workload_namespace: 'istio-system',
          source_app: 'istio-ingressgateway',
        }),
        10,
      ),
    ]);
    assert.equal(nodeOf(graph, 'unknown')?.kind, 'unknown');
    assert.ok(edgeOf(graph, `unknown->${SERVICE}`));
    assert.equal(nodeOf(graph, 'workload:istio-system/istio-ingressgateway')?.kind, 'gateway');
  });

  it('includes registered services, workloads and proxies that had no traffic, with proxy counts', () => {
    const graph = graphOf([], {
      services: [{ hostname: 'cart.shop.svc.cluster.local', namespace: 'shop', location: 'MESH_INTERNAL' }],
      workloads: [{ name: 'cart-v1', namespace: 'shop', labels: { app: 'cart', version: 'v1' } }],
      proxies: [
        {
          name: 'cart-v1',
          namespace: 'shop',
          labels: { app: 'cart', version: 'v1' },
          role: 'sidecar',
          synced: true,
        },
        {
          name: 'cart-v1',
          namespace: 'shop',
          labels: { app: 'cart', version: 'v1' },
          role: 'sidecar',
          synced: false,
        },
        { name: 'edge', namespace: 'istio-system', labels: {}, role: 'router', synced: true },
      ],
    });
    assert.deepEqual(
      graph.nodes.map((n) => [n.id, n.kind, n.proxies, n.syncedProxies]),
      [
        ['service:shop/cart.shop.svc.cluster.local', 'service', undefined, undefined],
        ['workload:istio-system/edge', 'gateway', 1, 1],
        ['workload:shop/cart-v1', 'workload', 2, 1],
      ],
    );
    assert.deepEqual(graph.edges, []);
  });

  it('keeps only a namespace and the nodes its edges touch', () => {
    const graph = graphOf(
      [
        sample(
          REQUESTS,
          productLabels('v1', {
            source_workload: 'istio-ingressgateway',
            source_workload_namespace: 'istio-system',
          }),
          10,
        ),
      ],
      {
        services: [{ hostname: 'x.other.svc.cluster.local', namespace: 'other', location: 'MESH_INTERNAL' }],
      },
    );
    const filtered = buildMeshGraph({
      generatedAt: graph.generatedAt,
      windowSeconds: 60,
      traffic: { seconds: 0, increases: [] },
      services: [{ hostname: 'x.other.svc.cluster.local', namespace: 'other', location: 'MESH_INTERNAL' }],
      workloads: [],
      proxies: [],
      namespace: 'shop',
    });
    assert.deepEqual(filtered.nodes, []);
    assert.equal(graph.nodes.length, 4);
    const history = new MetricsHistory({ retentionMs: 60_000 });
    history.record(T0, [{ target: 'a', samples: [] }]);
    history.record(T0 + 10_000, [
      {
        target: 'a',
        samples: [
          sample(
            REQUESTS,
            productLabels('v1', {
              source_workload: 'istio-ingressgateway',
              source_workload_namespace: 'istio-system',
            }),
            10,
          ),
        ],
      },
    ]);
    const shop = buildMeshGraph({
      generatedAt: graph.generatedAt,
      windowSeconds: 60,
      traffic: history.window(T0 + 10_000, 60_000),
      services: [{ hostname: 'x.other.svc.cluster.local', namespace: 'other', location: 'MESH_INTERNAL' }],
      workloads: [],
      proxies: [],
      namespace: 'shop',
    });
    assert.deepEqual(
      shop.nodes.map((n) => n.id),
      [SERVICE, 'workload:istio-system/istio-ingressgateway', 'workload:shop/product-v1'],
    );
  });
});
