// The `istio.stats` filter between two connection managers — a client sidecar (reporter source) in front of
// a server sidecar (reporter destination) in front of a real app — with real sockets: the metadata exchange,
// Istio's labels on both sides, stripping of the exchange headers, spoofing, overrides and the exposition.
import { create, type JsonObject } from '@bufbuild/protobuf';
import { HTTP_FILTERS, packAny, typedStruct } from '@heddle/xds';
import {
  HttpConnectionManagerSchema,
  type HttpConnectionManager,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { createHttpConnectionManager } from '../../../src/http/connection-manager.ts';
import type { HttpConnectionHandler } from '../../../src/http/http-connection-handler.ts';
import { RouteTables } from '../../../src/http/route-tables.ts';
import { renderPrometheus } from '../../../src/stats/prometheus-format.ts';
import { StatsStore } from '../../../src/stats/stats-store.ts';
import { STATS_CONFIG_TYPE_URL } from '../../../src/telemetry/metrics/stats-config.ts';
import { encodePeerMetadata } from '../../../src/telemetry/metrics/peer-metadata.ts';
import { TestClusters } from '../../http/helpers/test-clusters.ts';
import { startHttp1Upstream, startHttp2Upstream, type Upstream } from '../../http/helpers/upstreams.ts';
import { connect as h2connect } from 'node:http2';

const PRODUCTS = 'products.default.svc.cluster.local';
const OUTBOUND = `outbound|80||${PRODUCTS}`;

function statsConfig(
  reporter: 'source' | 'destination',
  node: JsonObject,
  extra: JsonObject = {},
): JsonObject {
  return {
    reporter,
    nodeId: `sidecar~127.0.0.1~${typeof node.workload === 'string' ? node.workload : ''}`,
    node,
    ...extra,
  };
}

function hcm(cluster: string, stats: JsonObject): HttpConnectionManager {
  return create(HttpConnectionManagerSchema, {
    statPrefix: 'test',
    routeSpecifier: {
      case: 'routeConfig',
      value: {
        name: 'test',
        virtualHosts: [
          {
            name: 'all',
            domains: ['*'],
            routes: [
              {
                match: { pathSpecifier: { case: 'prefix', value: '/' } },
                action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: cluster } } },
              },
            ],
          },
        ],
      },
    },
    httpFilters: [
      {
        name: HTTP_FILTERS.ISTIO_STATS,
        configType: { case: 'typedConfig', value: typedStruct(STATS_CONFIG_TYPE_URL, stats) },
      },
      { name: HTTP_FILTERS.ROUTER, configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) } },
    ],
  });
}

interface Hop {
  readonly port: number;
  readonly store: StatsStore;
  close(): Promise<void>;
}

async function serve(config: HttpConnectionManager, clusters: TestClusters): Promise<Hop> {
  const store = new StatsStore();
  const handler = createHttpConnectionManager(config, { routes: new RouteTables(), clusters, stats: store });
  if ('error' in handler) throw new Error(handler.error);
  const h: HttpConnectionHandler = handler;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const chunk = socket.read() as Buffer | null;
      if (chunk) socket.unshift(chunk);
      const h2 = chunk?.subarray(0, 14).toString('latin1') === 'PRI * HTTP/2.0';
      h.handleConnection(socket, h2 ? 'http2' : 'http1', {
        remoteAddress: socket.remoteAddress ?? '',
        remotePort: socket.remotePort ?? 0,
        localAddress: socket.localAddress ?? '',
        localPort: socket.localPort ?? 0,
        tls: false,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        h.close();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const CLIENT_NODE = {
  workload: 'client',
  namespace: 'default',
  app: 'client',
  version: 'v1',
  canonicalService: 'client',
  canonicalRevision: 'v1',
  clusterId: 'Kubernetes',
};
const PRODUCTS_NODE = {
  workload: 'products-v2',
  namespace: 'default',
  app: 'products',
  version: 'v2',
  canonicalService: 'products',
  canonicalRevision: 'v2',
  clusterId: 'Kubernetes',
};

/** The value of the one series of `family` whose labels include every `labels` pair (0 when none). */
function seriesValue(text: string, family: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`)) continue;
    const inner = line.slice(family.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => inner.includes(`${k}="${v}"`)))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('istio.stats filter: client and server sidecars on loopback', () => {
  let app: Upstream;
  let client: Hop;
  let server: Hop;
  const clusters: TestClusters[] = [];

  before(async () => {
    app = await startHttp1Upstream('products');
    app.handler = (req, res) => {
      const status = req.url === '/fail' ? 503 : 200;
      res.writeHead(status, {
        'content-type': 'text/plain',
        // An app cannot speak for its sidecar: whatever it sets here is replaced.
        'x-envoy-peer-metadata': encodePeerMetadata({
          ...PRODUCTS_NODE,
          cluster: 'Kubernetes',
          workload: 'forged-by-app',
        }),
      });
      res.end('x'.repeat(150));
    };
    const serverClusters = new TestClusters();
    serverClusters.add('inbound|80||', { ports: [app.port] });
    server = await serve(
      hcm(
        'inbound|80||',
        statsConfig('destination', PRODUCTS_NODE, {
          principal: 'spiffe://cluster.local/ns/default/sa/products',
        }),
      ),
      serverClusters,
    );
    const clientClusters = new TestClusters();
    clientClusters.add(OUTBOUND, { ports: [server.port] });
    client = await serve(
      hcm(
        OUTBOUND,
        statsConfig('source', CLIENT_NODE, { principal: 'spiffe://cluster.local/ns/default/sa/client' }),
      ),
      clientClusters,
    );
    clusters.push(serverClusters, clientClusters);
  });

  after(async () => {
    await Promise.all([client.close(), server.close(), app.close()]);
    await Promise.all(clusters.map((c) => c.close()));
  });

  async function send(path: string, headers: Record<string, string> = {}) {
    const response = await request(`http://127.0.0.1:${client.port}${path}`, {
      headers: { host: `products.default.svc.cluster.local`, ...headers },
    });
    const body = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body };
  }

  it('labels both reporters with the full source and destination, and strips the exchange headers', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await send('/ok')).status, 200);
    const failed = await send('/fail');
    assert.equal(failed.status, 503);
    assert.equal(
      failed.headers['x-envoy-peer-metadata'],
      undefined,
      'the client sidecar strips the server metadata',
    );
    assert.equal(failed.headers['x-envoy-peer-metadata-id'], undefined);
    const seen = app.received.at(-1);
    assert.ok(seen);
    assert.equal(
      seen.headers['x-envoy-peer-metadata'],
      undefined,
      'the server sidecar strips the client metadata',
    );
    assert.equal(seen.headers['x-envoy-peer-metadata-id'], undefined);

    const clientText = renderPrometheus(client.store.snapshot());
    const serverText = renderPrometheus(server.store.snapshot());
    const common = {
      source_workload: 'client',
      source_workload_namespace: 'default',
      source_app: 'client',
      source_canonical_service: 'client',
      destination_workload: 'products-v2',
      destination_app: 'products',
      destination_version: 'v2',
      destination_canonical_revision: 'v2',
      destination_service: PRODUCTS,
      destination_service_name: 'products',
      destination_service_namespace: 'default',
      request_protocol: 'http',
      response_flags: '-',
    };
    assert.equal(
      seriesValue(clientText, 'istio_requests_total', {
        ...common,
        reporter: 'source',
        response_code: '200',
        connection_security_policy: 'unknown',
        source_principal: 'spiffe://cluster.local/ns/default/sa/client',
      }),
      3,
      clientText,
    );
    assert.equal(
      seriesValue(clientText, 'istio_requests_total', {
        ...common,
        reporter: 'source',
        response_code: '503',
      }),
      1,
    );
    assert.equal(
      seriesValue(serverText, 'istio_requests_total', {
        ...common,
        reporter: 'destination',
        response_code: '200',
        connection_security_policy: 'none',
      }),
      3,
      serverText,
    );
    assert.equal(
      seriesValue(serverText, 'istio_requests_total', { reporter: 'destination', response_code: '503' }),
      1,
    );
    assert.match(clientText, /# TYPE istio_request_duration_milliseconds histogram/);
    for (const le of [
      '0.5',
      '1',
      '5',
      '10',
      '25',
      '50',
      '100',
      '250',
      '500',
      '1000',
      '2500',
      '5000',
      '10000',
      '30000',
      '60000',
      '300000',
      '600000',
      '1800000',
      '3600000',
      '+Inf',
    ]) {
      assert.ok(clientText.includes(`le="${le}"} `), `bucket le=${le}`);
    }
    assert.equal(
      seriesValue(clientText, 'istio_request_duration_milliseconds_count', { reporter: 'source' }),
      4,
    );
    // Every response body is 150 bytes: all four land in the le="1000" bucket of the response size and none below.
    assert.equal(
      seriesValue(serverText, 'istio_response_bytes_bucket', { reporter: 'destination', le: '1000' }),
      4,
    );
    assert.equal(
      seriesValue(serverText, 'istio_response_bytes_bucket', { reporter: 'destination', le: '100' }),
      0,
    );
    assert.equal(seriesValue(serverText, 'istio_response_bytes_sum', { reporter: 'destination' }), 600);
    assert.doesNotMatch(clientText, /forged-by-app/);
  });

  it('ignores exchange headers a client application forges', async () => {
    const forged = encodePeerMetadata({
      ...CLIENT_NODE,
      cluster: 'Kubernetes',
      workload: 'evil',
      namespace: 'attacker',
    });
    assert.equal(
      (await send('/ok', { 'x-envoy-peer-metadata': forged, 'x-envoy-peer-metadata-id': 'evil' })).status,
      200,
    );
    const serverText = renderPrometheus(server.store.snapshot());
    assert.doesNotMatch(serverText, /evil|attacker/);
    assert.equal(
      seriesValue(serverText, 'istio_requests_total', {
        reporter: 'destination',
        source_workload: 'client',
        response_code: '200',
      }),
      4,
    );
  });
});

describe('istio.stats filter: Telemetry overrides', () => {
  let app: Upstream;
  let hop: Hop;
  let clusters: TestClusters;

  before(async () => {
    app = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add(OUTBOUND, { ports: [app.port] });
    hop = await serve(
      hcm(
        OUTBOUND,
        statsConfig('source', CLIENT_NODE, {
          metrics: {
            REQUEST_SIZE: { disabled: true },
            REQUEST_COUNT: {
              tagOverrides: {
                response_flags: { operation: 'REMOVE' },
                tenant: { operation: 'UPSERT', value: "request.headers['x-tenant']" },
                source_version: { value: "'canary'" },
              },
            },
          },
        }),
      ),
      clusters,
    );
  });

  after(async () => {
    await Promise.all([hop.close(), app.close()]);
    await clusters.close();
  });

  it('drops disabled metrics, removes and upserts labels per metric', async () => {
    const response = await request(`http://127.0.0.1:${hop.port}/`, { headers: { 'x-tenant': 'acme' } });
    await response.body.text();
    const text = renderPrometheus(hop.store.snapshot());
    assert.doesNotMatch(text, /istio_request_bytes/);
    const line = text.split('\n').find((l) => l.startsWith('istio_requests_total{'));
    assert.ok(line, text);
    assert.match(line, /tenant="acme"/);
    assert.match(line, /source_version="canary"/);
    assert.doesNotMatch(line, /response_flags=/);
    // Other metrics keep the standard labels.
    assert.match(text, /istio_response_bytes_count\{[^}]*response_flags="-"/);
  });

  it('refuses a config with an expression it cannot evaluate', () => {
    const result = createHttpConnectionManager(
      hcm(
        OUTBOUND,
        statsConfig('source', CLIENT_NODE, {
          metrics: { REQUEST_COUNT: { tagOverrides: { x: { value: 'size(request.headers)' } } } },
        }),
      ),
      { routes: new RouteTables(), clusters, stats: new StatsStore() },
    );
    assert.ok('error' in result);
    assert.match(result.error, /unsupported tag value expression/);
  });
});

/** One gRPC frame: flag byte, 4-byte big-endian length, message. */
function grpcFrame(size: number): Buffer {
  const frame = Buffer.alloc(5 + size, 7);
  frame[0] = 0;
  frame.writeUInt32BE(size, 1);
  return frame;
}

describe('istio.stats filter: gRPC', () => {
  it('counts request and response messages and reports grpc_response_status from the trailers', async () => {
    const upstream = await startHttp2Upstream();
    upstream.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () =>
        stream.sendTrailers({ 'grpc-status': '5', 'grpc-message': 'not found' }),
      );
      stream.write(grpcFrame(3));
      stream.end(grpcFrame(70_000));
    };
    const clusters = new TestClusters();
    clusters.add(OUTBOUND, { ports: [upstream.port], protocol: 'http2' });
    const hop = await serve(hcm(OUTBOUND, statsConfig('source', CLIENT_NODE)), clusters);
    const session = h2connect(`http://127.0.0.1:${hop.port}`);
    try {
      const trailers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = session.request({
          ':method': 'POST',
          ':path': '/shop.Products/Get',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        req.on('trailers', (t: Record<string, unknown>) => resolve(t));
        req.on('error', reject);
        req.resume();
        // Three messages, the second split across two writes.
        const second = grpcFrame(20);
        req.write(grpcFrame(10));
        req.write(second.subarray(0, 3));
        req.write(second.subarray(3));
        req.end(grpcFrame(0));
      });
      assert.equal(trailers['grpc-status'], '5');
      const text = renderPrometheus(hop.store.snapshot());
      const labels = {
        reporter: 'source',
        request_protocol: 'grpc',
        grpc_response_status: '5',
        response_code: '200',
      };
      assert.equal(seriesValue(text, 'istio_requests_total', labels), 1, text);
      assert.equal(seriesValue(text, 'istio_request_messages_total', labels), 3);
      assert.equal(seriesValue(text, 'istio_response_messages_total', labels), 2);
    } finally {
      session.close();
      await hop.close();
      await upstream.close();
      await clusters.close();
    }
  });
});
