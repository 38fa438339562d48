// The dashboard API against a real control plane: two xDS clients announce HEDDLE_METRICS_URL served by a
// real HTTP server with Istio's metrics; the control plane scrapes them and answers overview, graph,
// series and findings. Bad parameters are refused with stable codes.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DashboardFindings, DashboardOverview, MeshGraph, TrafficSeries } from '@heddle/api';
import { CLUSTER_TYPE_URL } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient } from '../support/ads-client.ts';
import {
  applyYamlText,
  getJson,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

const HOST = 'product.shop.svc.cluster.local';

function requestLine(version: string, code: string, count: number): string {
  const labels = [
    'reporter="destination"',
    'source_workload="frontend"',
    'source_workload_namespace="shop"',
    'source_app="frontend"',
    'source_version="v1"',
    `destination_workload="product-${version}"`,
    'destination_workload_namespace="shop"',
    'destination_app="product"',
    `destination_version="${version}"`,
    `destination_service="${HOST}"`,
    'destination_service_namespace="shop"',
    'request_protocol="http"',
    `response_code="${code}"`,
    'connection_security_policy="mutual_tls"',
  ].join(',');
  return `istio_requests_total{${labels}} ${count}`;
}

function durationLines(version: string, count: number): string[] {
  const labels = `reporter="destination",source_workload="frontend",source_workload_namespace="shop",destination_workload="product-${version}",destination_workload_namespace="shop",destination_service="${HOST}",destination_service_namespace="shop",response_code="200"`;
  return [
    `istio_request_duration_milliseconds_bucket{${labels},le="5"} 0`,
    `istio_request_duration_milliseconds_bucket{${labels},le="10"} ${count}`,
    `istio_request_duration_milliseconds_bucket{${labels},le="+Inf"} ${count}`,
  ];
}

function node(version: string, metricsUrl: string) {
  return {
    id: `sidecar~127.0.0.1~product-${version}.shop~shop.svc.cluster.local`,
    metadata: {
      NAMESPACE: 'shop',
      WORKLOAD_NAME: `product-${version}`,
      LABELS: { app: 'product', version },
      INSTANCE_IPS: '127.0.0.1',
      HEDDLE_METRICS_URL: metricsUrl,
    },
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

describe('dashboard API', { timeout: 30_000 }, () => {
  let cp: ControlPlane;
  let metricsServer: Server;
  const exposition = new Map<string, string>([
    ['/v1/stats/prometheus', ''],
    ['/v2/stats/prometheus', ''],
  ]);
  const clients: SotwClient[] = [];

  before(async () => {
    metricsServer = createServer((req, res) => {
      const text = exposition.get(req.url ?? '');
      res.writeHead(text === undefined ? 404 : 200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(text ?? '');
    });
    await new Promise<void>((resolve) => metricsServer.listen(0, '127.0.0.1', resolve));
    const port = (metricsServer.address() as AddressInfo).port;
    cp = await startTestControlPlane({ scrapeIntervalSeconds: 0.1 });
    await applyYamlText(cp, serviceEntryYaml('payments', 'shop'));
    for (const version of ['v1', 'v2']) {
      const client = new SotwClient(cp.xdsPort);
      client.send({
        node: node(version, `http://127.0.0.1:${port}/${version}/stats/prometheus`),
        typeUrl: CLUSTER_TYPE_URL,
      });
      const cds = await client.next();
      client.send({ typeUrl: CLUSTER_TYPE_URL, versionInfo: cds.versionInfo, responseNonce: cds.nonce });
      clients.push(client);
    }
    // A first round sets where the counters stand; then traffic arrives.
    await until(
      () => getJson<DashboardOverview>(cp, '/apis/v1/dashboard/overview'),
      ({ body }) => body.scrape.healthy === 2,
      'both targets scraped',
    );
    exposition.set(
      '/v1/stats/prometheus',
      [requestLine('v1', '200', 81), requestLine('v1', '503', 9), ...durationLines('v1', 90)].join('\n'),
    );
    exposition.set(
      '/v2/stats/prometheus',
      [requestLine('v2', '200', 10), ...durationLines('v2', 10)].join('\n'),
    );
  });
  after(async () => {
    for (const client of clients) client.close();
    await cp.close();
    await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  });

  it('draws the canary split as two edges from the service, with rates and response codes', async () => {
    const { status, body } = await until(
      () => getJson<MeshGraph>(cp, '/apis/v1/dashboard/graph?window=60'),
      ({ body }) => body.edges.length === 3,
      'three edges',
    );
    assert.equal(status, 200);
    assert.equal(body.windowSeconds, 60);
    const edge = (id: string) => body.edges.find((e) => e.id === id);
    const service = `service:shop/${HOST}`;
    const toV1 = edge(`${service}->workload:shop/product-v1`);
    const toV2 = edge(`${service}->workload:shop/product-v2`);
    const fromFrontend = edge(`workload:shop/frontend->${service}`);
    assert.ok(toV1 && toV2 && fromFrontend, JSON.stringify(body.edges.map((e) => e.id)));
    assert.ok(toV1.traffic.requestsPerSecond > 0);
    assert.ok(Math.abs(toV1.traffic.requestsPerSecond / toV2.traffic.requestsPerSecond - 9) < 0.01);
    assert.ok(Math.abs(toV1.responseCodes['503']! / toV1.responseCodes['200']! - 9 / 81) < 0.01);
    assert.equal(toV1.traffic.errorRate, 0.1);
    assert.equal(toV2.traffic.errorRate, 0);
    assert.equal(toV1.protocol, 'http');
    assert.equal(toV1.mtls, true);
    assert.ok(toV1.traffic.p50Ms! > 5 && toV1.traffic.p50Ms! <= 10);
    assert.equal(fromFrontend.traffic.errorRate, 0.09);
    const nodes = new Map(body.nodes.map((n) => [n.id, n]));
    assert.equal(nodes.get('workload:shop/product-v1')?.proxies, 1);
    assert.equal(nodes.get('workload:shop/product-v1')?.syncedProxies, 1);
    assert.equal(nodes.get('workload:shop/product-v2')?.version, 'v2');
    assert.equal(nodes.get(service)?.kind, 'service');
    assert.equal(nodes.get(service)?.label, 'product');
    // A registered service without traffic still shows, as what it is.
    assert.equal(nodes.get('service:shop/payments.shop.example.com')?.kind, 'external');
  });

  it('filters the graph by namespace', async () => {
    const { body } = await getJson<MeshGraph>(cp, '/apis/v1/dashboard/graph?namespace=elsewhere');
    assert.deepEqual(body.nodes, []);
    assert.deepEqual(body.edges, []);
  });

  it('sums the mesh up in the overview', async () => {
    const { status, body } = await getJson<DashboardOverview>(cp, '/apis/v1/dashboard/overview');
    assert.equal(status, 200);
    assert.equal(body.controlPlane.id, 'test-control-plane');
    assert.equal(body.controlPlane.store, 'memory');
    assert.equal(body.controlPlane.caEnabled, false);
    assert.equal(body.proxies.total, 2);
    assert.equal(body.proxies.synced, 2);
    assert.equal(body.config.total, 1);
    assert.deepEqual(body.config.byKind, { ServiceEntry: 1 });
    assert.equal(body.traffic.windowSeconds, 60);
    assert.ok(body.traffic.requestsPerSecond > 0);
    assert.equal(body.traffic.errorRate, 0.09);
    assert.equal(body.scrape.targets, 2);
    assert.equal(body.scrape.intervalSeconds, 0.1);
    assert.ok(!Number.isNaN(Date.parse(body.scrape.lastScrapeAt ?? '')));
  });

  it('gives per-step series of a service and of a workload', async () => {
    const { status, body } = await getJson<TrafficSeries>(
      cp,
      '/apis/v1/dashboard/series?namespace=shop&service=product&window=60',
    );
    assert.equal(status, 200);
    assert.equal(body.service, HOST);
    assert.equal(body.stepSeconds, 0.1);
    assert.equal(body.timestamps.length, body.requestsPerSecond.length);
    assert.equal(body.timestamps.length, body.p99Ms.length);
    const busy = body.errorRate.filter((rate) => rate !== null);
    assert.equal(busy.length, 1, 'the traffic arrived within one round');
    assert.equal(busy[0], 0.09);
    const workload = await getJson<TrafficSeries>(
      cp,
      '/apis/v1/dashboard/series?namespace=shop&workload=product-v2',
    );
    assert.equal(workload.body.workload, 'product-v2');
    assert.deepEqual(
      workload.body.errorRate.filter((rate) => rate !== null),
      [0],
    );
  });

  it('lists the findings of the stored config, and counts them in the overview', async () => {
    const empty = await getJson<DashboardFindings>(cp, '/apis/v1/dashboard/findings');
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.findings, []);
    const applied = await applyYamlText(
      cp,
      `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-frontend, namespace: shop }
spec:
  rules:
    - from: [{ source: { principals: [frontend] } }]
`,
    );
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const { body } = await getJson<DashboardFindings>(cp, '/apis/v1/dashboard/findings');
    assert.ok(!Number.isNaN(Date.parse(body.generatedAt)));
    assert.equal(body.findings.length, 1, JSON.stringify(body.findings));
    const [finding] = body.findings;
    assert.equal(finding?.level, 'Warning');
    assert.equal(finding?.resource, 'AuthorizationPolicy shop/allow-frontend');
    assert.match(finding?.field ?? '', /principals/);
    assert.match(finding?.code ?? '', /^HEDDLE_|^IST/);
    const overview = await getJson<DashboardOverview>(cp, '/apis/v1/dashboard/overview');
    assert.deepEqual(overview.body.findings, { errors: 0, warnings: 1, infos: 0 });
    assert.deepEqual(overview.body.config.byKind, { AuthorizationPolicy: 1, ServiceEntry: 1 });
  });

  it('refuses malformed parameters with HEDDLE_HTTP_BAD_REQUEST', async () => {
    for (const path of [
      '/apis/v1/dashboard/graph?window=soon',
      '/apis/v1/dashboard/graph?window=0',
      '/apis/v1/dashboard/overview?window=-5',
      '/apis/v1/dashboard/series?namespace=shop',
      '/apis/v1/dashboard/series?namespace=shop&service=a&workload=b',
      '/apis/v1/dashboard/series?service=product',
    ]) {
      const { status, body } = await getJson<{ code: string; message: string }>(cp, path);
      assert.equal(status, 400, path);
      assert.equal(body.code, 'HEDDLE_HTTP_BAD_REQUEST', path);
    }
  });
});
