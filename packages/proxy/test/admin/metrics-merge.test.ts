// The merged Prometheus scrape endpoint: the proxy's stats followed by a real application's metrics read over
// loopback, a failing or silent application (proxy stats still served, failure counted), families the proxy
// already has dropped from the application's side, and the result always valid Prometheus text.
import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LogRegistry } from '../../src/admin/logger.ts';
import { startMetricsMerge } from '../../src/admin/metrics-merge-server.ts';
import { runProxy, type Proxy } from '../../src/config/proxy-runtime.ts';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { BootstrapError } from '../../src/xds/bootstrap-error.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { fakeParts } from './support/fake-parts.ts';
import { call } from './support/http.ts';

const APP_METRICS = [
  '# HELP orders_total Orders placed.',
  '# TYPE orders_total counter',
  'orders_total{method="card"} 12',
  'orders_total{method="cash"} 3',
  '# TYPE queue_depth gauge',
  'queue_depth 7',
  '# TYPE checkout_seconds histogram',
  'checkout_seconds_bucket{le="0.5"} 4',
  'checkout_seconds_bucket{le="+Inf"} 5',
  'checkout_seconds_sum 1.75',
  'checkout_seconds_count 5',
  '# TYPE render_seconds summary',
  'render_seconds{quantile="0.5"} 0.01',
  'render_seconds_sum 0.2',
  'render_seconds_count 9',
].join('\n');

/** Families the proxy also exposes: `envoy_server_live` (a gauge) and the merge's own failure counter. */
const COLLIDING_METRICS = [
  '# HELP envoy_server_live Not the proxy.',
  '# TYPE envoy_server_live gauge',
  'envoy_server_live 0',
  '# TYPE heddle_app_metrics_scrape_failures_total counter',
  'heddle_app_metrics_scrape_failures_total 99',
  '# TYPE app_up gauge',
  'app_up 1',
  '# TYPE app_up gauge',
  '# EOF',
].join('\n');

const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? -?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|\+Inf|-Inf)$/;

/**
 * Checks the text exposition format line by line: `# TYPE name type` at most once per name and before its
 * samples, `# HELP` and free comments, samples `name{labels} value`, each family's lines contiguous.
 */
function assertExposition(text: string): void {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const typed = new Map<string, string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const enter = (family: string): void => {
    if (family === current) return;
    assert.ok(!closed.has(family), `family ${family} is contiguous`);
    if (current !== undefined) closed.add(current);
    current = family;
  };
  const familyOf = (name: string): string => {
    for (const [family, type] of typed) {
      const suffixes =
        type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
      if (suffixes.some((suffix) => name === family + suffix)) return family;
    }
    return name;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type?.[1] !== undefined && type[2] !== undefined) {
      assert.ok(!typed.has(type[1]), `# TYPE ${type[1]} appears once`);
      enter(type[1]);
      typed.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('# HELP ')) {
      assert.match(line, /^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /);
      continue;
    }
    if (line.startsWith('#')) {
      assert.doesNotMatch(line, /^#\s*(TYPE|HELP|EOF)\b/, `malformed descriptor: ${line}`);
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample?.[1], `a sample line: ${JSON.stringify(line)}`);
    enter(familyOf(sample[1]));
  }
}

function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function listen(handler: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('merged Prometheus scrape endpoint', { timeout: 30_000 }, () => {
  let ads: FakeAdsServer;
  let app: { server: Server; port: number };
  let mode: 'ok' | 'error' | 'colliding' = 'ok';
  let appRequests = 0;
  let proxy: Proxy;

  before(async () => {
    ads = await FakeAdsServer.start();
    app = await listen((request, response) => {
      appRequests += 1;
      if (request.url !== '/custom/metrics') return void response.writeHead(404).end();
      if (mode === 'error') return void response.writeHead(500).end('boom');
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(mode === 'colliding' ? COLLIDING_METRICS : APP_METRICS);
    });
    const bootstrap = parseBootstrap({
      node: { id: 'sidecar~127.0.0.1~orders.default~default.svc.cluster.local', metadata: {} },
      controlPlane: { addresses: [ads.address] },
      admin: { port: 0 },
      health: { port: 0 },
      metricsMerge: { port: 0, appMetrics: { port: app.port, path: '/custom/metrics' } },
    });
    proxy = await runProxy(bootstrap, () => fakeParts(), { logs: new LogRegistry({ write: () => {} }) });
  });

  after(async () => {
    await proxy.close();
    await closeServer(app.server);
    await ads.close();
  });

  it('serves the proxy stats, then the application metrics, as one valid exposition', async () => {
    mode = 'ok';
    const port = proxy.metricsMergePort;
    assert.ok(port !== undefined && port > 0);
    const reply = await call(port, '/stats/prometheus');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assertExposition(reply.body);
    const proxyPart = reply.body.indexOf('# TYPE envoy_server_live gauge');
    const appPart = reply.body.indexOf('# HELP orders_total Orders placed.');
    assert.ok(proxyPart >= 0 && appPart > proxyPart, 'proxy stats first, then the app');
    assert.ok(reply.body.endsWith(`${APP_METRICS}\n`), 'the app exposition passes through unchanged');
    assert.equal(sampleValue(reply.body, 'heddle_app_metrics_scrape_failures_total'), 0);
    // The admin API's own Prometheus page has the proxy stats only.
    const admin = await call(proxy.adminPort, '/stats/prometheus');
    assert.doesNotMatch(admin.body, /orders_total/);
    assert.match(admin.body, /^heddle_app_metrics_scrape_failures_total 0$/m);
  });

  it('serves the proxy stats and a comment when the application fails, and counts the failure', async () => {
    mode = 'error';
    const port = proxy.metricsMergePort ?? 0;
    const first = await call(port, '/stats/prometheus');
    assert.equal(first.status, 200);
    assertExposition(first.body);
    assert.match(first.body, /^envoy_server_live /m);
    assert.match(
      first.body,
      new RegExp(
        `^# heddle: application metrics from http://127\\.0\\.0\\.1:${app.port}/custom/metrics unavailable: HTTP 500$`,
        'm',
      ),
    );
    assert.doesNotMatch(first.body, /orders_total/);
    assert.equal(sampleValue(first.body, 'heddle_app_metrics_scrape_failures_total'), 1);
    const second = await call(port, '/stats/prometheus');
    assert.equal(sampleValue(second.body, 'heddle_app_metrics_scrape_failures_total'), 2);
    mode = 'ok';
    const recovered = await call(port, '/stats/prometheus');
    assert.match(recovered.body, /^orders_total\{method="card"\} 12$/m);
    assert.equal(sampleValue(recovered.body, 'heddle_app_metrics_scrape_failures_total'), 2);
  });

  it("drops the application's families the proxy also exposes, keeping one TYPE per name", async () => {
    mode = 'colliding';
    const port = proxy.metricsMergePort ?? 0;
    const reply = await call(port, '/stats/prometheus');
    assertExposition(reply.body);
    assert.doesNotMatch(reply.body, /Not the proxy/);
    assert.doesNotMatch(reply.body, /^envoy_server_live 0$/m, "the app's envoy_server_live is dropped");
    assert.doesNotMatch(reply.body, /^heddle_app_metrics_scrape_failures_total 99$/m);
    assert.equal(reply.body.match(/^# TYPE app_up gauge$/gm)?.length, 1);
    assert.match(reply.body, /^app_up 1$/m);
    assert.doesNotMatch(reply.body, /# EOF/);
    // Counted once the scrape is served: the next scrape shows the two dropped samples.
    const next = await call(port, '/stats/prometheus');
    assert.equal(sampleValue(next.body, 'heddle_app_metrics_dropped_samples_total'), 2);
  });

  it('answers only GET /stats/prometheus', async () => {
    const port = proxy.metricsMergePort ?? 0;
    const before = appRequests;
    assert.equal((await call(port, '/stats')).status, 404);
    assert.equal((await call(port, '/stats/prometheus', { method: 'POST' })).status, 405);
    assert.equal(appRequests, before, 'the application is not scraped for a refused request');
  });
});

describe('merged scrape endpoint without a reachable application', { timeout: 20_000 }, () => {
  it('counts a refused connection and a silent application as failures', async () => {
    const silent = await listen(() => {});
    const refused = await listen(() => {});
    await closeServer(refused.server);
    const stats = new StatsStore();
    const logger = new LogRegistry({ write: () => {} }).logger('admin');
    const servers = [
      await startMetricsMerge(
        { address: '127.0.0.1', port: 0, appMetrics: { port: refused.port, path: '/metrics' } },
        { stats, logger },
      ),
      await startMetricsMerge(
        { address: '127.0.0.1', port: 0, appMetrics: { port: silent.port, path: '/metrics' } },
        { stats, logger, appTimeoutMs: 200 },
      ),
    ];
    try {
      const [toRefused, toSilent] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const first = await call(toRefused.port, '/stats/prometheus');
      assertExposition(first.body);
      assert.match(first.body, /^# heddle: application metrics from .* unavailable: .*ECONNREFUSED/m);
      const second = await call(toSilent.port, '/stats/prometheus');
      assertExposition(second.body);
      assert.match(second.body, /unavailable: no answer within 200 ms$/m);
      assert.equal(sampleValue(second.body, 'heddle_app_metrics_scrape_failures_total'), 2);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await closeServer(silent.server);
    }
  });

  it('serves the proxy stats alone when no application metrics are declared', async () => {
    const stats = new StatsStore();
    stats.counter('cluster.reviews.upstream_rq_total').inc(3);
    const server = await startMetricsMerge(
      { address: '127.0.0.1', port: 0 },
      { stats, logger: new LogRegistry({ write: () => {} }).logger('admin') },
    );
    try {
      const reply = await call(server.port, '/stats/prometheus');
      assertExposition(reply.body);
      assert.match(reply.body, /^envoy_cluster_upstream_rq_total\{envoy_cluster_name="reviews"\} 3$/m);
      assert.doesNotMatch(reply.body, /^# heddle:/m);
    } finally {
      await server.close();
    }
  });
});

describe('metricsMerge bootstrap section', () => {
  const base = {
    node: { id: 'sidecar~127.0.0.1~a.default~default.svc.cluster.local', metadata: {} },
    controlPlane: { addresses: ['127.0.0.1:15010'] },
  };

  it('defaults to loopback and the /metrics path, and is absent when not configured', () => {
    assert.equal(parseBootstrap(base).metricsMerge, undefined);
    assert.deepEqual(
      parseBootstrap({ ...base, metricsMerge: { port: 15020, appMetrics: { port: 9090 } } }).metricsMerge,
      {
        address: '127.0.0.1',
        port: 15020,
        appMetrics: { port: 9090, path: '/metrics' },
      },
    );
  });

  it('names every problem', () => {
    assert.throws(
      () =>
        parseBootstrap({
          ...base,
          metricsMerge: { address: 'example.com', appMetrics: { port: 0, path: 'metrics', extra: 1 } },
        }),
      (error: unknown) => {
        assert.ok(error instanceof BootstrapError);
        const message = error.message;
        assert.match(message, /metricsMerge\.address: must be an IP address/);
        assert.match(message, /metricsMerge\.port: required/);
        assert.match(message, /metricsMerge\.appMetrics\.port: must be an integer from 1 to 65535/);
        assert.match(message, /metricsMerge\.appMetrics\.path: must be an absolute path/);
        assert.match(message, /metricsMerge\.appMetrics\.extra: unknown field/);
        return true;
      },
    );
  });
});
