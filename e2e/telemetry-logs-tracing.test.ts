// Access logs and tracing through the whole stack: meshConfig (the `istio` ConfigMap) and a Telemetry
// resource → control plane → an ingress gateway and a sidecar → a real upstream. Access-log lines land in a
// file in the seeds' format; spans reach the control plane's own Zipkin-compatible collector, which the
// mesh finds as the default `zipkin.istio-system:9411` service.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startControlPlane, type ControlPlane } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import {
  apply,
  boundPort,
  closeClients,
  eventually,
  freePort,
  GATEWAY_ID,
  get,
  removeDir,
  startClientSidecar,
  startGateway,
  tempDataDir,
  type Target,
} from './support/mesh.ts';
import {
  documents,
  PRODUCTS,
  SHOP_GATEWAY,
  SHOP_HOST,
  serviceEntry,
  workloadEntry,
} from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

interface Span {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly kind: string;
  readonly localEndpoint?: { readonly serviceName?: string };
  readonly tags: Readonly<Record<string, string>>;
}

const ROUTES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: istio-system }
spec:
  hosts: [${SHOP_HOST}]
  gateways: [istio-system/shop-gateway]
  http:
    - route: [{ destination: { host: ${PRODUCTS}, port: { number: 80 } } }]
`;

/** The collector as a mesh service at Istio's default Zipkin address, backed by the control plane's port. */
function collectorService(port: number): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: zipkin, namespace: istio-system }
spec:
  hosts: [zipkin.istio-system.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 9411, name: http-zipkin, protocol: HTTP }]
  endpoints: [{ address: 127.0.0.1, ports: { http-zipkin: ${port} }, labels: { security.istio.io/tlsMode: disabled } }]
`;
}

function meshConfigMap(logFile: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    accessLogFile: ${logFile}
    accessLogFormat: |
      [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% "%REQ(X-REQUEST-ID)%" "%UPSTREAM_CLUSTER%"
`;
}

const FULL_SAMPLING = `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: tracing, namespace: istio-system }
spec:
  tracing:
    - randomSamplingPercentage: 100
      customTags:
        team: { literal: { value: shop } }
`;

describe('access logs and tracing through the mesh', { timeout: 90_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let gateway: Proxy | undefined;
  let sidecar: Proxy | undefined;
  let products: Upstream | undefined;
  let shop: Target;
  let viaSidecar: Target;
  let logFile: string;

  before(async () => {
    dataDir = await tempDataDir('telemetry');
    logFile = join(dataDir, 'access.log');
    cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      zipkinAddress: '127.0.0.1:0',
      logger: silentLogger,
      debounce: { quietMs: 10, maxDelayMs: 100 },
      instanceId: 'telemetry-e2e',
      // The gateway and sidecar carry no join token.
      xdsAuth: 'loopback-exempt',
    });
    products = await startUpstream('products', 'v1');
    assert.ok(cp.zipkinPort);
    await apply(
      cp,
      documents(
        meshConfigMap(logFile),
        collectorService(cp.zipkinPort),
        serviceEntry('products', PRODUCTS),
        workloadEntry('products-v1', 'products', 'v1', products.port),
        SHOP_GATEWAY,
        ROUTES,
        FULL_SAMPLING,
      ),
    );
    const outboundPort = await freePort();
    [gateway, sidecar] = await Promise.all([
      startGateway(cp.xdsPort),
      startClientSidecar(cp.xdsPort, outboundPort),
    ]);
    shop = { port: await boundPort(gateway, '0.0.0.0_80'), style: 'host', host: SHOP_HOST };
    viaSidecar = { port: outboundPort, style: 'proxy', host: PRODUCTS };
  });

  after(async () => {
    closeClients();
    await Promise.all([gateway?.close(), sidecar?.close()]);
    await cp?.close();
    await products?.kill();
    await removeDir(dataDir);
  });

  it("writes one line per request in meshConfig's accessLogFormat to accessLogFile", async () => {
    const reply = await get(shop, '/api/products/1');
    assert.equal(reply.status, 200, reply.body);
    const missing = await get(shop, '/api/products/2', { 'x-request-id': 'ignored-at-the-edge' });
    assert.equal(missing.status, 200);
    let lines: string[] = [];
    const written = await eventually(async () => {
      lines = (await readFile(logFile, 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l.includes('/api/products/'));
      return lines.length >= 2;
    }, 10_000);
    assert.ok(written, `access log lines: ${JSON.stringify(lines)}`);
    assert.match(
      lines[0] ?? '',
      /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] "GET \/api\/products\/1 HTTP\/1\.1" 200 - 0 \d+ "[0-9a-f-]{36}" "outbound\|80\|\|products\.shop\.test"$/,
    );
    // The gateway does not trust a client's request id: it generates its own.
    assert.doesNotMatch(lines[1] ?? '', /ignored-at-the-edge/);
  });

  it("reports the gateway's spans to the control plane's collector, as one trace", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const reply = await get(shop, '/api/products/3', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    assert.equal(reply.status, 200);
    const identity = JSON.parse(reply.body) as { headers: Record<string, string> };
    let spans: Span[] = [];
    const arrived = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${cp!.httpPort}/api/v2/trace/${traceId}`);
      spans = res.status === 200 ? ((await res.json()) as Span[]) : [];
      return spans.length >= 2;
    }, 15_000);
    assert.ok(arrived, `spans of trace ${traceId}: ${JSON.stringify(spans)}`);
    const server = spans.find((s) => s.kind === 'SERVER');
    const client = spans.find((s) => s.kind === 'CLIENT');
    assert.ok(server && client);
    assert.equal(server.parentId, '00f067aa0ba902b7');
    assert.equal(client.parentId, server.id);
    assert.equal(server.localEndpoint?.serviceName, 'ingress.istio-system');
    assert.equal(server.tags.node_id, GATEWAY_ID);
    assert.equal(server.tags['istio.canonical_service'], 'istio-ingressgateway');
    assert.equal(server.tags.team, 'shop');
    assert.equal(server.tags.upstream_cluster, `outbound|80||${PRODUCTS}`);
    // The upstream continues from the gateway's client span.
    assert.equal(identity.headers.traceparent, `00-${traceId}-${client.id}-01`);
  });

  it("reports a sidecar's outbound span as a CLIENT span of its own service", async () => {
    const reply = await get(viaSidecar, '/sidecar-traced');
    assert.equal(reply.status, 200, reply.body);
    const identity = JSON.parse(reply.body) as { headers: Record<string, string> };
    const traceId = identity.headers['x-b3-traceid'] ?? '';
    assert.match(traceId, /^[0-9a-f]{32}$/);
    let spans: Span[] = [];
    const arrived = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${cp!.httpPort}/api/v2/trace/${traceId}`);
      spans = res.status === 200 ? ((await res.json()) as Span[]) : [];
      return spans.length >= 1;
    }, 15_000);
    assert.ok(arrived, 'the sidecar span reached the collector');
    assert.equal(spans[0]?.kind, 'CLIENT');
    assert.equal(spans[0]?.localEndpoint?.serviceName, 'client.default');
    assert.equal(spans[0]?.id, identity.headers['x-b3-spanid']);
  });
});
