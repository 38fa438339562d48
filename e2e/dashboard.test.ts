// The web dashboard against a real control plane: two sidecars with certificates from the mesh CA, a real
// upstream behind one of them, traffic flowing client → reviews, and the control plane scraping both proxies'
// Istio metrics. Headless Chromium opens the control plane's /dashboard/ and must see the overview counts,
// the graph edge with a non-zero rate and every proxy SYNCED.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MeshGraph } from '@heddle/api';
import { silentLogger, startControlPlane, type ControlPlane } from '@heddle/control-plane';
import { DASHBOARD_DIST_DIR } from '@heddle/dashboard';
import { LogRegistry, startProxy, type Bootstrap, type Proxy } from '@heddle/proxy';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.ts';
import { closeClients, freePort, get, removeDir, tempDataDir, type Target } from './support/mesh.ts';
import { joinToken, registerWithToken, until } from './support/mtls-mesh.ts';
import { serviceEntry } from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

const REVIEWS = 'reviews.default.svc.cluster.local';
/** Set to keep the screenshots for a look; otherwise they go to a temp dir that is removed. */
const keptShotsDir = process.env.DASHBOARD_SCREENSHOT_DIR;
const INSTANCE_ID = 'dashboard-e2e';
const VITE_BIN = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const DASHBOARD_PACKAGE = fileURLToPath(new URL('../packages/dashboard/', import.meta.url));

/** `npm ci` builds the dashboard (postinstall); a checkout that skipped it is built here, once. */
async function ensureDashboardBuilt(): Promise<void> {
  try {
    await access(join(DASHBOARD_DIST_DIR, 'index.html'));
  } catch {
    await promisify(execFile)(process.execPath, [VITE_BIN, 'build', '--logLevel', 'warn'], {
      cwd: DASHBOARD_PACKAGE,
      timeout: 120_000,
    });
  }
}

interface Sidecar {
  readonly workload: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly token: string;
  readonly outboundPort: number;
  readonly appPorts?: string;
}

/** A sidecar as `heddle run` starts one: explicit capture, a CA certificate, and its metrics URL announced. */
async function startSidecar(cp: ControlPlane, spec: Sidecar): Promise<Proxy> {
  const adminPort = await freePort();
  const bootstrap: Bootstrap = {
    node: {
      id: `sidecar~127.0.0.1~${spec.workload}.default~default.svc.cluster.local`,
      cluster: `${spec.workload}.default`,
      metadata: {
        NAMESPACE: 'default',
        WORKLOAD_NAME: spec.workload,
        SERVICE_ACCOUNT: spec.serviceAccount,
        LABELS: { ...spec.labels },
        INSTANCE_IPS: '127.0.0.1',
        HEDDLE_CAPTURE: 'explicit',
        HEDDLE_OUTBOUND_PORT: String(spec.outboundPort),
        HEDDLE_METRICS_URL: `http://127.0.0.1:${adminPort}/stats/prometheus`,
        ...(spec.appPorts ? { HEDDLE_APP_PORTS: spec.appPorts } : {}),
      },
    },
    controlPlane: { addresses: [`127.0.0.1:${cp.xdsPort}`] },
    admin: { address: '127.0.0.1', port: adminPort },
    health: { address: '127.0.0.1', port: 0 },
    drainTimeoutMs: 2000,
    concurrency: 1,
    ca: { address: `127.0.0.1:${cp.xdsPort}`, token: spec.token, certificateTtlSeconds: 3600 },
  };
  const proxy = await startProxy(bootstrap, {
    logs: new LogRegistry({ level: 'error' }),
    backoff: { baseMs: 50, capMs: 500 },
  });
  const ready = await Promise.race([proxy.ready.then(() => true), sleep(20_000, false)]);
  if (!ready) {
    await proxy.close();
    assert.fail(`sidecar ${spec.workload} did not become ready within 20 s`);
  }
  return proxy;
}

describe('dashboard on a real mesh', { timeout: 360_000 }, () => {
  let dataDir: string | undefined;
  let shotsDir: string | undefined;
  let cp: ControlPlane | undefined;
  let app: Upstream | undefined;
  let server: Proxy | undefined;
  let client: Proxy | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let reviews: Target;
  let trafficLoop: Promise<void> | undefined;
  const traffic = new AbortController();
  const pageErrors: string[] = [];

  before(async () => {
    await ensureDashboardBuilt();
    dataDir = await tempDataDir('dashboard');
    shotsDir = keptShotsDir ?? (await mkdtemp(join(tmpdir(), 'heddle-dashboard-e2e-')));
    cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      debounce: { quietMs: 10, maxDelayMs: 100 },
      instanceId: INSTANCE_ID,
      dashboardDir: DASHBOARD_DIST_DIR,
      scrapeIntervalSeconds: 1,
    });
    app = await startUpstream('reviews', 'v1');
    const inboundPort = await freePort();
    const applied = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: serviceEntry('reviews', REVIEWS),
    });
    assert.equal(applied.status, 200, await applied.text());
    const serverToken = await registerWithToken(cp, {
      name: 'reviews-v1',
      namespace: 'default',
      address: '127.0.0.1',
      ports: { http: inboundPort },
      labels: { app: 'reviews', version: 'v1' },
      serviceAccount: 'reviews',
    });
    server = await startSidecar(cp, {
      workload: 'reviews-v1',
      labels: { app: 'reviews', version: 'v1' },
      serviceAccount: 'reviews',
      token: serverToken,
      outboundPort: await freePort(),
      appPorts: `${inboundPort}=${app.port}`,
    });
    const outboundPort = await freePort();
    client = await startSidecar(cp, {
      workload: 'client',
      labels: { app: 'client', version: 'v1' },
      serviceAccount: 'client',
      token: await joinToken(cp, 'default', 'client'),
      outboundPort,
    });
    reviews = { port: outboundPort, style: 'proxy', host: REVIEWS };
    await until(
      () => get(reviews, '/warm-up'),
      (r) => r.status === 200,
      15_000,
      'a 200 through the sidecars',
    );
    // Steady traffic for the whole test, about 20 requests per second, stopped in after().
    trafficLoop = (async () => {
      while (!traffic.signal.aborted) {
        await get(reviews, '/dashboard-traffic', {}, 5_000);
        await sleep(50, undefined, { signal: traffic.signal }).catch(() => undefined);
      }
    })();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    traffic.abort();
    await trafficLoop;
    await browser?.close();
    closeClients();
    await Promise.all([client?.close(), server?.close()]);
    await cp?.close();
    await app?.kill();
    await removeDir(dataDir);
    if (shotsDir && !keptShotsDir) await rm(shotsDir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${(cp as ControlPlane).httpPort}`;
  const statValue = async (testId: string) =>
    ((await page.getByTestId(testId).locator('.stat-value').textContent()) ?? '').trim();
  const tab = (name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name });
  /** Clicks Refresh until `check` holds: the page would also refresh itself, every 5 s. */
  const refreshUntil = async (check: () => Promise<boolean>, what: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`the dashboard never showed ${what}`);
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    }
  };

  it('the control plane scraped both sidecars and sees the client → reviews traffic', async () => {
    const graph = await until(
      async () => (await (await fetch(`${base()}/apis/v1/dashboard/graph?window=60`)).json()) as MeshGraph,
      (g) => g.edges.some((edge) => edge.traffic.requestsPerSecond > 0 && edge.source.includes('client')),
      30_000,
      'an edge from the client with traffic',
    );
    assert.ok(graph.nodes.some((node) => node.id.includes('reviews')));
  });

  it('serves the dashboard and shows the overview counts', async () => {
    await page.goto(`${base()}/dashboard/`);
    await page.getByTestId('cp-id').waitFor();
    assert.equal((await page.getByTestId('cp-id').textContent())?.trim(), INSTANCE_ID);
    assert.equal(await statValue('proxies-total'), '2');
    await refreshUntil(async () => (await statValue('proxies-synced')) === '2', 'two SYNCED proxies');
    assert.equal(await statValue('proxies-nacked'), '0');
    assert.ok(Number(await statValue('services-count')) >= 1);
    assert.ok(Number(await statValue('workloads-count')) >= 1);
    assert.match(
      (await page.getByTestId('config-by-kind').textContent()) ?? '',
      /ServiceEntry1/,
      'the applied ServiceEntry is counted',
    );
    await refreshUntil(
      async () =>
        /^[\d.]+ rps$/.test(await statValue('mesh-rps')) && (await statValue('mesh-rps')) !== '0 rps',
      'a non-zero mesh request rate',
    );
    await page.screenshot({ path: join(shotsDir as string, 'overview.png'), fullPage: true });
  });

  it('draws the graph edge from the client to reviews with a non-zero rate over mTLS', async () => {
    await tab('Graph').click();
    await page.getByTestId('graph-canvas').locator('canvas').first().waitFor();
    const edge = page.getByTestId('edge-table').locator('tbody tr', { hasText: 'client' });
    await refreshUntil(async () => (await edge.count()) > 0, 'an edge from the client');
    const row = ((await edge.first().textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(row, /client.*reviews/);
    const rate = /([\d.]+) rps/.exec(row);
    assert.ok(rate && Number(rate[1]) > 0, `no positive rate in "${row}"`);
    assert.match(row, /yes$/, `the edge is not marked mTLS: "${row}"`);
    const shot = join(shotsDir as string, 'graph.png');
    await page.screenshot({ path: shot });
    assert.ok((await stat(shot)).size > 1000);
  });

  it('opens the reviews workload with its charts and its SYNCED proxy', async () => {
    await page.getByTestId('edge-table').getByRole('link', { name: 'reviews-v1' }).first().click();
    await page.getByTestId('detail-view').waitFor();
    await page.locator('.uplot canvas').first().waitFor();
    assert.equal(await page.locator('.uplot').count(), 3);
    const proxy = page.getByTestId('proxy-table').locator('tbody tr');
    await proxy.first().waitFor();
    assert.equal(await proxy.first().getAttribute('data-status'), 'SYNCED');
  });

  it('lists every proxy SYNCED on the Proxies view', async () => {
    await tab('Proxies').click();
    const rows = page.getByTestId('proxies-view').locator('tbody tr[data-proxy]');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await rows.locator('td:first-child').allTextContents(), [
      'client.default',
      'reviews-v1.default',
    ]);
    for (let index = 0; index < 2; index++)
      assert.equal(await rows.nth(index).getAttribute('data-status'), 'SYNCED');
    assert.deepEqual(pageErrors, []);
  });
});
