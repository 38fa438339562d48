// The dashboard API over a real mesh: the control plane scrapes the Istio metrics of three real sidecars
// (a frontend client, product v1 and v2 behind a 90/10 canary) through the HEDDLE_METRICS_URL each announces,
// and /apis/v1/dashboard/graph shows the frontend → product edge and the split product → v1 / v2 edges with
// the rates and response codes of the requests the test sent; the series and overview agree.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DashboardOverview, GraphEdge, MeshGraph, TrafficSeries } from '@heddle/api';
import { silentLogger, startControlPlane, type ControlPlane } from '@heddle/control-plane';
import { LogRegistry, startProxy, type Proxy } from '@heddle/proxy';
import {
  adminText,
  apply,
  closeClients,
  eventually,
  freePort,
  get,
  removeDir,
  tempDataDir,
  type Target,
} from './support/mesh.ts';
import { documents, PRODUCTS, PRODUCTS_SUBSETS, serviceEntry, SPLIT_90_10 } from './support/shop-mesh.ts';

const SCRAPE_SECONDS = 0.25;
const REQUESTS = 200;
/** Every fifth request asks for /fail, which the app answers 500. */
const FAIL_EVERY = 5;

interface Workload {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly adminPort: number;
  readonly outboundPort: number;
  readonly appPorts?: string;
}

/** The product app of one version: its identity as JSON, 500 on /fail. */
async function startApp(version: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    const status = req.url?.includes('/fail') ? 500 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: 'product', version }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** An explicit-capture sidecar whose admin port is chosen beforehand, so its bootstrap can announce it. */
async function startSidecar(xdsPort: number, workload: Workload): Promise<Proxy> {
  const proxy = await startProxy(
    {
      node: {
        id: `sidecar~127.0.0.1~${workload.name}.default~default.svc.cluster.local`,
        cluster: `${workload.name}.default`,
        metadata: {
          NAMESPACE: 'default',
          WORKLOAD_NAME: workload.name,
          SERVICE_ACCOUNT: workload.labels.app ?? workload.name,
          LABELS: workload.labels,
          INSTANCE_IPS: '127.0.0.1',
          HEDDLE_CAPTURE: 'explicit',
          HEDDLE_OUTBOUND_PORT: String(workload.outboundPort),
          ...(workload.appPorts ? { HEDDLE_APP_PORTS: workload.appPorts } : {}),
          HEDDLE_METRICS_URL: `http://127.0.0.1:${workload.adminPort}/stats/prometheus`,
        },
      },
      controlPlane: { addresses: [`127.0.0.1:${xdsPort}`] },
      admin: { address: '127.0.0.1', port: workload.adminPort },
      health: { address: '127.0.0.1', port: 0 },
      drainTimeoutMs: 2_000,
      concurrency: 1,
    },
    { drainTimeoutMs: 2_000, backoff: { baseMs: 50, capMs: 500 }, logs: new LogRegistry({ level: 'error' }) },
  );
  const ready = await Promise.race([
    proxy.ready.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000).unref()),
  ]);
  if (!ready) {
    await proxy.close();
    assert.fail(`the ${workload.name} sidecar did not become ready within 20 s`);
  }
  return proxy;
}

/** `istio_requests_total` summed over the series of a proxy's own exposition that match `reporter`. */
async function requestsCounted(proxy: Proxy, reporter: string): Promise<number> {
  let total = 0;
  for (const line of (await adminText(proxy, '/stats/prometheus')).split('\n'))
    if (line.startsWith('istio_requests_total{') && line.includes(`reporter="${reporter}"`))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

async function getJson<T>(cp: ControlPlane, path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}${path}`);
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return (await response.json()) as T;
}

function close(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

describe('dashboard API over a real mesh', { timeout: 180_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  const apps: Server[] = [];
  const proxies: Proxy[] = [];
  /** Replies by version and status, as the client saw them. */
  const seen: Record<string, Record<string, number>> = { v1: {}, v2: {} };
  let graph: MeshGraph;
  let startedAt: number;
  let trafficDoneAt: number;

  before(async () => {
    dataDir = await tempDataDir('dashboard-api-e2e');
    startedAt = Date.now();
    cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      debounce: { quietMs: 10, maxDelayMs: 100 },
      ca: false,
      instanceId: 'dashboard-e2e',
      scrapeIntervalSeconds: SCRAPE_SECONDS,
    });
    const [v1, v2] = await Promise.all([startApp('v1'), startApp('v2')]);
    apps.push(v1.server, v2.server);
    const meshPorts = { v1: await freePort(), v2: await freePort() };
    await apply(
      cp,
      documents(
        serviceEntry('product', PRODUCTS),
        ...(['v1', 'v2'] as const).map(
          (version) => `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: product-${version}, namespace: default }
spec:
  address: 127.0.0.1
  ports: { http: ${meshPorts[version]} }
  labels: { app: product, version: ${version} }
`,
        ),
        PRODUCTS_SUBSETS,
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: product, namespace: default }
spec:
  hosts: [${PRODUCTS}]
  http:
    - route:
${SPLIT_90_10}
`,
      ),
    );
    const frontendOutbound = await freePort();
    const workloads: Workload[] = [
      {
        name: 'frontend',
        labels: { app: 'frontend', version: 'v1' },
        adminPort: await freePort(),
        outboundPort: frontendOutbound,
      },
      {
        name: 'product-v1',
        labels: { app: 'product', version: 'v1' },
        adminPort: await freePort(),
        outboundPort: await freePort(),
        appPorts: `${meshPorts.v1}=${v1.port}`,
      },
      {
        name: 'product-v2',
        labels: { app: 'product', version: 'v2' },
        adminPort: await freePort(),
        outboundPort: await freePort(),
        appPorts: `${meshPorts.v2}=${v2.port}`,
      },
    ];
    proxies.push(...(await Promise.all(workloads.map((workload) => startSidecar(cp!.xdsPort, workload)))));
    const [frontend, productV1, productV2] = proxies as [Proxy, Proxy, Proxy];

    // Both versions are known to the frontend before any request is sent.
    const ready = await eventually(async () => {
      const clusters = await adminText(frontend, '/clusters');
      return clusters.includes(`127.0.0.1:${meshPorts.v1}`) && clusters.includes(`127.0.0.1:${meshPorts.v2}`);
    }, 20_000);
    assert.ok(ready, 'the frontend never learned both product endpoints');
    // Every target scraped once before the traffic: the increases count from there.
    await eventually(
      async () => (await getJson<DashboardOverview>(cp!, '/apis/v1/dashboard/overview')).scrape.healthy === 3,
      20_000,
    );

    const product: Target = { port: frontendOutbound, style: 'proxy', host: PRODUCTS };
    for (let sent = 0; sent < REQUESTS; sent += 20) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => get(product, (sent + i) % FAIL_EVERY === 0 ? '/fail' : '/ok')),
      );
      for (const reply of replies) {
        const { version } = JSON.parse(reply.body) as { version: 'v1' | 'v2' };
        seen[version]![reply.status] = (seen[version]![reply.status] ?? 0) + 1;
      }
    }
    trafficDoneAt = Date.now();
    // Each proxy has counted every request; then two full rounds make sure the control plane has too.
    const counted = await eventually(
      async () =>
        (await requestsCounted(productV1, 'destination')) +
          (await requestsCounted(productV2, 'destination')) ===
          REQUESTS && (await requestsCounted(frontend, 'source')) === REQUESTS,
      20_000,
    );
    assert.ok(counted, 'the sidecars never counted every request');
    const countedAt = Date.now();
    await eventually(async () => {
      const { lastScrapeAt } = (await getJson<DashboardOverview>(cp!, '/apis/v1/dashboard/overview')).scrape;
      return lastScrapeAt !== undefined && Date.parse(lastScrapeAt) > countedAt + SCRAPE_SECONDS * 1000;
    }, 20_000);
    graph = await getJson<MeshGraph>(cp, '/apis/v1/dashboard/graph?window=600');
  });

  after(async () => {
    closeClients();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await cp?.close();
    await Promise.all(apps.map((app) => new Promise<void>((resolve) => app.close(() => resolve()))));
    await removeDir(dataDir);
  });

  const edge = (source: string, target: string): GraphEdge => {
    const found = graph.edges.find((e) => e.source === source && e.target === target);
    assert.ok(found, `no edge ${source} -> ${target} in ${JSON.stringify(graph.edges.map((e) => e.id))}`);
    return found;
  };
  const service = `service:default/${PRODUCTS}`;

  it('shows the canary split as two edges from the product service, in the proportion sent', () => {
    const toV1 = edge(service, 'workload:default/product-v1');
    const toV2 = edge(service, 'workload:default/product-v2');
    const count = (version: 'v1' | 'v2') => Object.values(seen[version]!).reduce((a, b) => a + b, 0);
    assert.equal(count('v1') + count('v2'), REQUESTS);
    assert.ok(count('v2') > 0 && count('v1') > count('v2'), JSON.stringify(seen));
    // Both edges are divided by the same window: their rates stand as the counts do.
    assert.ok(
      close(toV1.traffic.requestsPerSecond / toV2.traffic.requestsPerSecond, count('v1') / count('v2'), 0.01),
      `${toV1.traffic.requestsPerSecond} / ${toV2.traffic.requestsPerSecond} vs ${count('v1')} / ${count('v2')}`,
    );
    // The rate is the count over the time the history covers: from the first scrape to the last.
    const covered = count('v1') / toV1.traffic.requestsPerSecond;
    assert.ok(covered <= (Date.now() - startedAt) / 1000 + 1, `covered ${covered} s`);
    assert.ok(covered >= (trafficDoneAt - startedAt) / 1000 - 5, `covered ${covered} s`);
    assert.equal(toV1.protocol, 'http');
    assert.equal(toV1.mtls, false, 'no CA: plaintext');
  });

  it('gives each edge its response codes and error rate', () => {
    for (const version of ['v1', 'v2'] as const) {
      const toVersion = edge(service, `workload:default/product-${version}`);
      const ok = seen[version]!['200'] ?? 0;
      const failed = seen[version]!['500'] ?? 0;
      assert.deepEqual(Object.keys(toVersion.responseCodes).sort(), failed > 0 ? ['200', '500'] : ['200']);
      if (failed > 0)
        assert.ok(
          close(toVersion.responseCodes['500']! / toVersion.responseCodes['200']!, failed / ok, 0.01),
          JSON.stringify(toVersion.responseCodes),
        );
      assert.ok(close(toVersion.traffic.errorRate, failed / (ok + failed), 0.001) || failed === 0);
      assert.ok(toVersion.traffic.p50Ms !== undefined && toVersion.traffic.p99Ms !== undefined);
    }
  });

  it('counts each request once on the frontend → product edge', () => {
    const fromFrontend = edge('workload:default/frontend', service);
    const toV1 = edge(service, 'workload:default/product-v1');
    const toV2 = edge(service, 'workload:default/product-v2');
    assert.ok(
      close(
        fromFrontend.traffic.requestsPerSecond,
        toV1.traffic.requestsPerSecond + toV2.traffic.requestsPerSecond,
        0.01,
      ),
    );
    assert.ok(
      close(fromFrontend.traffic.errorRate, 1 / FAIL_EVERY, 0.001),
      String(fromFrontend.traffic.errorRate),
    );
    assert.equal(graph.edges.length, 3, 'no other edge: each request is drawn once');
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    assert.equal(nodes.get('workload:default/frontend')?.proxies, 1);
    assert.equal(nodes.get('workload:default/product-v2')?.version, 'v2');
    assert.equal(nodes.get(service)?.kind, 'service');
  });

  it('agrees in the overview and in the series', async () => {
    const overview = await getJson<DashboardOverview>(cp!, '/apis/v1/dashboard/overview?window=600');
    assert.equal(overview.proxies.total, 3);
    assert.equal(overview.scrape.targets, 3);
    assert.equal(overview.scrape.healthy, 3);
    assert.ok(close(overview.traffic.errorRate, 1 / FAIL_EVERY, 0.001), String(overview.traffic.errorRate));
    const series = await getJson<TrafficSeries>(
      cp!,
      `/apis/v1/dashboard/series?namespace=default&service=${PRODUCTS}&window=600`,
    );
    assert.equal(series.stepSeconds, SCRAPE_SECONDS);
    const busy = series.errorRate.filter((rate): rate is number => rate !== null);
    assert.ok(busy.length > 0, 'the series shows the traffic');
  });
});
