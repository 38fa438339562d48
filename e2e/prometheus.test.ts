// Istio's standard metrics checked by a real Prometheus (Debian's package, run unprivileged on loopback): it
// scrapes the control plane, a gateway, a client sidecar and a server sidecar while bounded traffic with a
// known share of 5xx and of slow responses flows gateway → server sidecar → app and client sidecar → server
// sidecar → app. The seeds' PromQL must see what was injected, promtool must accept the generated alert
// rules, and the generated 5xx alert must fire in that Prometheus.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import type { ControlPlane } from '@heddle/control-plane';
import { startProxy, LogRegistry, type Proxy } from '@heddle/proxy';
import { DEFAULT_ALERT_OPTIONS, meshAlertRules } from '../packages/cli/src/monitoring/alert-rules.ts';
import { DASHBOARDS, grafanaDashboard } from '../packages/cli/src/monitoring/grafana/dashboards.ts';
import {
  adminText,
  apply,
  boundPort,
  closeClients,
  controlPlane,
  eventually,
  freePort,
  get,
  removeDir,
  startClientSidecar,
  startGateway,
  tempDataDir,
  type Target,
} from './support/mesh.ts';
import {
  ensurePrometheus,
  promtoolCheckRules,
  startPrometheus,
  type RunningPrometheus,
} from './support/prometheus.ts';
import { documents, PRODUCTS, serviceEntry, SHOP_GATEWAY, SHOP_HOST } from './support/shop-mesh.ts';

const SLOW_MS = 1200;
const BY_REPORTER = 'sum(istio_requests_total) by (reporter)';
const BY_EDGE =
  'sum(istio_requests_total) by (reporter, source_workload, destination_workload, destination_service)';
const CONTROL_PLANE_JOB = DEFAULT_ALERT_OPTIONS.controlPlaneJob;

/**
 * The app behind the server sidecar: `/fail` answers 500 at once (not 503, which Istio's default retry
 * policy retries), `/slow` 200 after SLOW_MS, else 200.
 */
async function startApp(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    const answer = (status: number) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'unavailable');
    };
    if (req.url?.includes('/fail')) answer(500);
    else if (req.url?.includes('/slow')) setTimeout(() => answer(200), SLOW_MS);
    else answer(200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The explicit-capture sidecar of `products-v1`: the mesh reaches it on `meshPort`, it forwards to the app. */
async function startServerSidecar(xdsPort: number, meshPort: number, appPort: number): Promise<Proxy> {
  const proxy = await startProxy(
    {
      node: {
        id: 'sidecar~127.0.0.1~products-v1.default~default.svc.cluster.local',
        cluster: 'products-v1.default',
        metadata: {
          NAMESPACE: 'default',
          WORKLOAD_NAME: 'products-v1',
          SERVICE_ACCOUNT: 'products',
          LABELS: { app: 'products', version: 'v1' },
          INSTANCE_IPS: '127.0.0.1',
          HEDDLE_CAPTURE: 'explicit',
          HEDDLE_OUTBOUND_PORT: String(await freePort()),
          HEDDLE_APP_PORTS: `${meshPort}=${appPort}`,
        },
      },
      controlPlane: { addresses: [`127.0.0.1:${xdsPort}`] },
      admin: { address: '127.0.0.1', port: 0 },
      health: { address: '127.0.0.1', port: 0 },
      drainTimeoutMs: 5_000,
      concurrency: 1,
    },
    { drainTimeoutMs: 5_000, backoff: { baseMs: 50, capMs: 500 }, logs: new LogRegistry({ level: 'error' }) },
  );
  const ready = await Promise.race([
    proxy.ready.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000).unref()),
  ]);
  if (!ready) {
    await proxy.close();
    assert.fail('the server sidecar did not become ready within 20 s');
  }
  return proxy;
}

/** Whether something accepts connections on 127.0.0.1:`port` (no request is sent). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `fail` 5xx, `slow` delayed and `fast` plain requests, interleaved, `concurrency` at a time. */
async function drive(target: Target, mix: { fail: number; slow: number; fast: number }): Promise<number[]> {
  const paths: string[] = [];
  const left = { ...mix };
  const take = (kind: keyof typeof left, path: string): void => {
    if (left[kind] === 0) return;
    left[kind] -= 1;
    paths.push(path);
  };
  while (left.fail + left.slow + left.fast > 0) {
    take('fast', '/api/products/1');
    take('fail', '/api/products/fail');
    take('fast', '/api/products/2');
    take('slow', '/api/products/slow');
    take('fast', '/api/products/3');
  }
  const statuses: number[] = [];
  const concurrency = 10;
  for (let i = 0; i < paths.length; i += concurrency) {
    const replies = await Promise.all(paths.slice(i, i + concurrency).map((path) => get(target, path)));
    statuses.push(...replies.map((r) => r.status));
  }
  return statuses;
}

const WARM_UP = { fail: 1, slow: 1, fast: 3 };
const MEASURED = { fail: 4, slow: 4, fast: 12 };

describe('metrics in a real Prometheus', { timeout: 240_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let app: Server | undefined;
  let gateway: Proxy | undefined;
  let client: Proxy | undefined;
  let server: Proxy | undefined;
  let prometheus: RunningPrometheus | undefined;
  let rules: string;
  let binaries: Awaited<ReturnType<typeof ensurePrometheus>>;

  before(async () => {
    binaries = await ensurePrometheus();
    dataDir = await tempDataDir('prometheus-e2e');
    cp = await controlPlane(dataDir);
    const started = await startApp();
    app = started.server;
    const meshPort = await freePort();
    await apply(
      cp,
      documents(
        serviceEntry('products', PRODUCTS),
        `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: products-v1, namespace: default }
spec:
  address: 127.0.0.1
  ports: { http: ${meshPort} }
  labels: { app: products, version: v1 }
`,
        `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: products, namespace: default }
spec:
  host: ${PRODUCTS}
  trafficPolicy:
    connectionPool: { http: { http1MaxPendingRequests: 1000 }, tcp: { maxConnections: 1000 } }
    outlierDetection: { consecutive5xxErrors: 100000, interval: 10s, baseEjectionTime: 30s }
`,
        SHOP_GATEWAY,
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: istio-system }
spec:
  hosts: [${SHOP_HOST}]
  gateways: [istio-system/shop-gateway]
  http:
    - route: [{ destination: { host: ${PRODUCTS}, port: { number: 80 } } }]
`,
      ),
    );
    const outboundPort = await freePort();
    [gateway, client, server] = await Promise.all([
      startGateway(cp.xdsPort),
      startClientSidecar(cp.xdsPort, outboundPort),
      startServerSidecar(cp.xdsPort, meshPort, started.port),
    ]);
    const alertOptions = { ...DEFAULT_ALERT_OPTIONS, controlPlaneJob: CONTROL_PLANE_JOB, forOverride: '0s' };
    rules = stringify({ groups: meshAlertRules(alertOptions) }, { lineWidth: 0 });
    prometheus = await startPrometheus(binaries, {
      rules,
      jobs: [
        { job: CONTROL_PLANE_JOB, metricsPath: '/metrics', targets: [`127.0.0.1:${cp.httpPort}`] },
        {
          job: 'heddle-proxies',
          metricsPath: '/stats/prometheus',
          targets: [gateway, client, server].map((p) => `127.0.0.1:${p.adminPort}`),
        },
      ],
    });

    // Through the gateway and through the client sidecar, the same mix: a warm-up that makes every series
    // exist in Prometheus before the measured traffic (rate() only counts increases between samples).
    const shop: Target = { port: await boundPort(gateway, '0.0.0.0_80'), style: 'host', host: SHOP_HOST };
    const products: Target = { port: outboundPort, style: 'proxy', host: PRODUCTS };
    // Ready without sending requests (a failed attempt would be counted): the sidecar listens on the mesh
    // port and both clients know its endpoint.
    const endpoint = `outbound|80||${PRODUCTS}::127.0.0.1:${meshPort}`;
    const ready = await eventually(
      async () =>
        (await listening(meshPort)) &&
        (await adminText(gateway!, '/clusters')).includes(endpoint) &&
        (await adminText(client!, '/clusters')).includes(endpoint),
      20_000,
    );
    assert.ok(ready, 'the server sidecar never became reachable through the mesh');
    assert.equal((await get(shop, '/api/products/1')).status, 200);
    assert.equal((await get(products, '/api/products/1')).status, 200);
    for (const entry of [shop, products]) await drive(entry, WARM_UP);
    const total = (1 + WARM_UP.fail + WARM_UP.slow + WARM_UP.fast) * 2;
    const seen = await prometheus.until(() => reportersAt(total), 30_000);
    assert.ok(
      seen,
      `warm-up not scraped (want ${total}): ${JSON.stringify(await prometheus.query('sum(istio_requests_total) by (reporter, job, instance, response_code)'))} ${JSON.stringify(await prometheus.query('up'))}\n${prometheus.logTail()}`,
    );
    for (const entry of [shop, products]) {
      const statuses = await drive(entry, MEASURED);
      assert.equal(statuses.filter((s) => s === 500).length, MEASURED.fail);
      assert.equal(statuses.filter((s) => s === 200).length, MEASURED.slow + MEASURED.fast);
    }
    const measuredTotal = total + (MEASURED.fail + MEASURED.slow + MEASURED.fast) * 2;
    const scraped = await prometheus.until(() => reportersAt(measuredTotal), 30_000);
    assert.ok(
      scraped,
      `the measured traffic (${measuredTotal} per reporter) never showed in Prometheus: ${JSON.stringify(await prometheus.query(BY_REPORTER))}`,
    );
  });

  after(async () => {
    closeClients();
    await prometheus?.close();
    await Promise.all([gateway?.close(), client?.close(), server?.close()]);
    await cp?.close();
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    await removeDir(dataDir);
  });

  /**
   * Whether Prometheus holds `total` requests from each reporter. Every proxy is a separate target scraped at
   * its own offset, and a sidecar counts a request when its stream completes, which can be just after the
   * client already has the response: the destination side being complete says nothing about the source side.
   */
  async function reportersAt(total: number): Promise<boolean> {
    const byReporter = new Map(
      (await prometheus!.query(BY_REPORTER)).map((s) => [s.metric.reporter, s.value] as const),
    );
    return (
      byReporter.size === 2 && byReporter.get('source') === total && byReporter.get('destination') === total
    );
  }

  /**
   * rate() extrapolates each series by a factor between 1 and 1 + 2.2·(average scrape gap)/(sampled span):
   * up to 1.1 gaps at each end of the window. Series of one target share their scrape times, and every proxy
   * saw the same mix, so ratios land within that factor of the injected share.
   */
  async function extrapolationBound(): Promise<number> {
    const [samples] = await prometheus!.query('min(count_over_time(istio_requests_total[5m]))');
    assert.ok(samples && samples.value >= 3, 'too few samples to bound rate()');
    return 1 + 2.2 / (samples.value - 1);
  }

  it('scrapes every target: control plane, gateway and both sidecars', async () => {
    const up = await prometheus!.query('up');
    assert.equal(up.length, 4);
    assert.ok(
      up.every((s) => s.value === 1),
      JSON.stringify(up),
    );
    const pilot = await prometheus!.query(`pilot_xds{job="${CONTROL_PLANE_JOB}"}`);
    assert.ok(pilot.length > 0, 'pilot_xds from the control plane');
  });

  it('labels requests as Istio does, from both reporters', async () => {
    const key = (m: Record<string, string>) =>
      `${m.reporter} ${m.source_workload}→${m.destination_workload} ${m.destination_service}`;
    const perEntry =
      1 + WARM_UP.fail + WARM_UP.slow + WARM_UP.fast + MEASURED.fail + MEASURED.slow + MEASURED.fast;
    const expected = {
      [`source ingress→products-v1 ${PRODUCTS}`]: perEntry,
      [`source client→products-v1 ${PRODUCTS}`]: perEntry,
      [`destination ingress→products-v1 ${PRODUCTS}`]: perEntry,
      [`destination client→products-v1 ${PRODUCTS}`]: perEntry,
    };
    // before() waited for both reporters' totals; polling the per-edge split too keeps this independent of
    // which scrape of which target landed last.
    let seen: Record<string, number> = {};
    await prometheus!.until(async () => {
      const bySide = await prometheus!.query(BY_EDGE);
      seen = Object.fromEntries(bySide.map((s) => [key(s.metric), s.value]));
      return isDeepStrictEqual(seen, expected);
    }, 15_000);
    assert.deepEqual(seen, expected);
  });

  it("the seeds' 5xx rate PromQL sees the injected share of errors", async () => {
    const injected = MEASURED.fail / (MEASURED.fail + MEASURED.slow + MEASURED.fast);
    const bound = await extrapolationBound();
    const [ratio] = await prometheus!.query(
      `sum(rate(istio_requests_total{destination_service=~".*products.*", response_code=~"5.*"}[5m])) by (destination_service) / sum(rate(istio_requests_total{destination_service=~".*products.*"}[5m])) by (destination_service)`,
    );
    assert.ok(ratio, 'no result');
    assert.equal(ratio.metric.destination_service, PRODUCTS);
    assert.ok(
      ratio.value >= injected / bound && ratio.value <= injected * bound,
      `5xx share ${ratio.value}, injected ${injected} (bound ×${bound})`,
    );
  });

  it("the seeds' p95 latency PromQL lands in the bucket of the injected delay", async () => {
    const [p95] = await prometheus!.query(
      'histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket[5m])) by (destination_service, le))',
    );
    assert.ok(p95, 'no result');
    // 20% of requests take SLOW_MS (1200 ms: the (1000, 2500] bucket) and the rest are fast, so the 95th
    // percentile is interpolated inside that bucket; the extrapolation bound keeps the fast 80% below rank 95%.
    assert.ok(p95.value > 1000 && p95.value <= 2500, `p95 ${p95.value} ms`);
    const [fast] = await prometheus!.query(
      'histogram_quantile(0.5, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[5m])) by (le))',
    );
    assert.ok(fast && fast.value <= 1000, `p50 ${fast?.value} ms must be below the slow bucket`);
  });

  it('exports the Envoy-style cluster and server stats the alerts use', async () => {
    for (const name of [
      'envoy_cluster_upstream_cx_overflow',
      'envoy_cluster_upstream_rq_pending_overflow',
      'envoy_cluster_outlier_detection_ejections_active',
      'envoy_server_memory_allocated',
    ]) {
      const series = await prometheus!.query(name);
      assert.ok(series.length > 0, `${name} is not in /stats/prometheus`);
    }
    const outlier = await prometheus!.query(
      `envoy_cluster_outlier_detection_ejections_active{envoy_cluster_name="outbound|80||${PRODUCTS}"}`,
    );
    assert.ok(outlier.length >= 1);
  });

  it('promtool accepts the generated rules, and the 5xx alert fires (and control-plane-down does not)', async () => {
    const checked = await promtoolCheckRules(binaries, rules);
    assert.match(checked, /SUCCESS: \d+ rules found/);
    const firing = await prometheus!.until(
      async () =>
        (await prometheus!.alerts()).some(
          (a) => a.labels.alertname === 'HeddleHighErrorRate' && a.state === 'firing',
        ),
      30_000,
    );
    const alerts = await prometheus!.alerts();
    assert.ok(firing, `HeddleHighErrorRate did not fire: ${JSON.stringify(alerts)}`);
    const errorAlert = alerts.find((a) => a.labels.alertname === 'HeddleHighErrorRate');
    assert.equal(errorAlert?.labels.destination_service, PRODUCTS);
    assert.ok(!alerts.some((a) => a.labels.alertname === 'HeddleControlPlaneDown'));
  });

  it('every Grafana dashboard query is valid PromQL, and the service dashboard shows the service', async () => {
    const withVariables = (expr: string): string =>
      expr.replaceAll('$__rate_interval', '5m').replace(/\$[a-z]+/g, '.*');
    for (const name of DASHBOARDS) {
      const dashboard = grafanaDashboard(name) as {
        panels: { title: string; targets: { expr: string }[] }[];
      };
      for (const panel of dashboard.panels)
        for (const target of panel.targets)
          await assert.doesNotReject(
            prometheus!.query(withVariables(target.expr)),
            `${name}: ${panel.title}`,
          );
    }
    const service = grafanaDashboard('service') as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const byCode = service.panels.find((p) => p.title === 'Requests by response code');
    const codes = await prometheus!.query(withVariables(byCode?.targets[0]?.expr ?? ''));
    assert.deepEqual(codes.map((c) => c.metric.response_code).sort(), ['200', '500']);
  });
});
