// The built dashboard in headless Chromium against a loopback server that answers with contract fixtures:
// every view is opened, its numbers read back, and a failing route must show a banner, not a blank page.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat as statFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../e2e/support/chromium.ts';
import { buildDashboard } from './support/build-dashboard.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

/** Set to keep the screenshots for a look; otherwise they go to a temp dir that is removed. */
const keptShotsDir = process.env.DASHBOARD_SCREENSHOT_DIR;

describe('dashboard in a browser', { timeout: 360_000 }, () => {
  let distDir: string | undefined;
  let shotsDir: string | undefined;
  let server: FixtureServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    distDir = await buildDashboard();
    shotsDir = keptShotsDir ?? (await mkdtemp(join(tmpdir(), 'heddle-dashboard-shots-')));
    server = await startFixtureServer(distDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (distDir) await rm(distDir, { recursive: true, force: true });
    if (shotsDir && !keptShotsDir) await rm(shotsDir, { recursive: true, force: true });
  });

  const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
  const stat = async (testId: string) =>
    ((await page.getByTestId(testId).locator('.stat-value').textContent()) ?? '').trim();
  /** The server saw this request within a few seconds (the page fetches after a render). */
  const waitForRequest = async (path: string) => {
    for (let attempt = 0; attempt < 50 && !server?.requests.includes(path); attempt++)
      await page.waitForTimeout(100);
    assert.ok(server?.requests.includes(path), `the dashboard never requested ${path}`);
  };
  /** A full-page screenshot in the screenshot folder; a blank or failed capture fails the test. */
  const shoot = async (name: string) => {
    assert.ok(shotsDir);
    const path = join(shotsDir, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    assert.ok((await statFile(path)).size > 1000, `${name}.png is empty`);
  };
  const tab = (name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name });

  it('opens on the overview with the control plane, proxies, config, findings and traffic', async () => {
    assert.ok(server);
    await page.goto(`${server.url}/dashboard/`);
    await page.getByTestId('cp-id').waitFor();
    assert.equal(await text('cp-id'), 'heddle-fixture');
    assert.equal(await stat('proxies-total'), '3');
    assert.equal(await stat('proxies-synced'), '2');
    assert.equal(await stat('proxies-nacked'), '1');
    assert.equal(await stat('mesh-rps'), '12.5 rps');
    assert.equal(await stat('mesh-error-rate'), '2 %');
    assert.equal(await stat('mesh-p99'), '41 ms');
    assert.equal(await stat('services-count'), '2');
    assert.equal(await stat('findings-errors'), '1');
    const kinds = await page.getByTestId('config-by-kind').locator('tbody tr').allTextContents();
    assert.deepEqual(kinds, ['DestinationRule1', 'PeerAuthentication1', 'VirtualService1']);
    await shoot('overview');
  });

  it('draws the graph with cytoscape and lists the same edges in a table', async () => {
    await tab('Graph').click();
    await page.getByTestId('edge-table').locator('tbody tr').first().waitFor();
    assert.equal((await page.getByTestId('graph-canvas').locator('canvas').count()) > 0, true);
    const rows = page.getByTestId('edge-table').locator('tbody tr');
    assert.equal(await rows.count(), 3);
    const failing = page.getByTestId('edge-table').locator('tbody tr.failing');
    assert.equal(await failing.count(), 1);
    assert.match((await failing.textContent()) ?? '', /product-v2.*2\.5 rps.*10 %.*no$/);
    assert.match((await rows.first().textContent()) ?? '', /frontend.*product.*12\.5 rps.*2 %.*yes$/);
    assert.ok(server?.requests.includes('/apis/v1/dashboard/graph?window=300'));
  });

  it("opens a node's detail when the node is clicked on the canvas", async () => {
    // Cytoscape keeps its instance on the container; ask it where the node is drawn, then click there.
    const where = await page.evaluate<{ x: number; y: number }>(`(() => {
      const cy = document.querySelector('[data-testid="graph-canvas"]')._cyreg.cy;
      const box = cy.container().getBoundingClientRect();
      const point = cy.getElementById('workload:shop/product-v1').renderedPosition();
      return { x: box.left + point.x, y: box.top + point.y };
    })()`);
    await page.mouse.click(where.x, where.y);
    await page.getByTestId('detail-view').waitFor();
    assert.match((await page.locator('h1.detail-title').textContent()) ?? '', /workload\s*product-v1/);
    assert.match(page.url(), /#\/workload\/shop\/product-v1$/);
    await page.goBack();
    await page.getByTestId('edge-table').waitFor();
  });

  it('asks for the chosen window and lists namespaces from the registry', async () => {
    await page.getByLabel('Time window').selectOption('60');
    await waitForRequest('/apis/v1/dashboard/graph?window=60');
    const namespaces = await page.getByLabel('Namespace').locator('option').allTextContents();
    assert.deepEqual(namespaces, ['All namespaces', 'shop']);
    await page.getByLabel('Namespace').selectOption('shop');
    await waitForRequest('/apis/v1/dashboard/graph?window=60&namespace=shop');
  });

  it('opens a workload from the edge table: charts, edges and its proxies', async () => {
    await page.getByTestId('edge-table').getByRole('link', { name: 'product-v2' }).click();
    await page.getByTestId('detail-view').waitFor();
    assert.match((await page.locator('h1.detail-title').textContent()) ?? '', /workload\s*product-v2\s*shop/);
    await page.locator('.uplot canvas').nth(2).waitFor();
    assert.equal(await page.locator('.uplot').count(), 3);
    assert.equal(await stat('detail-rps'), '12 rps');
    const proxyRows = page.getByTestId('proxy-table').locator('tbody tr');
    assert.equal(await proxyRows.count(), 1);
    assert.equal(await proxyRows.first().getAttribute('data-status'), 'NACKED');
    assert.match(
      (await page.locator('ul.nacks').textContent()) ?? '',
      /product-v2\.shop rejected LDS: listener 0\.0\.0\.0_9080: unknown filter/,
    );
    assert.equal(await page.getByTestId('detail-edges').locator('tbody tr').count(), 1);
    await shoot('workload');
    assert.ok(
      server?.requests.includes('/apis/v1/dashboard/series?namespace=shop&workload=product-v2&window=60'),
    );
  });

  it('opens a service with its endpoints and the proxies behind them', async () => {
    await page.goBack();
    await page.getByTestId('edge-table').getByRole('link', { name: 'product' }).first().click();
    await page.getByTestId('service-endpoints').waitFor();
    assert.match(
      (await page.locator('h1.detail-title').textContent()) ?? '',
      /service\s*product\.shop\.svc\.cluster\.local/,
    );
    assert.equal(await page.getByTestId('service-endpoints').locator('tbody tr').count(), 2);
    assert.equal(await page.getByTestId('proxy-table').locator('tbody tr').count(), 2);
    await page.locator('.uplot canvas').first().waitFor();
  });

  it('shows proxy status like istioctl', async () => {
    await tab('Proxies').click();
    const table = page.getByTestId('proxies-view').getByTestId('proxy-table');
    await table.locator('tbody tr').nth(2).waitFor();
    assert.deepEqual(await table.locator('thead th').allTextContents(), [
      'NAME',
      'CDS',
      'LDS',
      'EDS',
      'RDS',
      'SDS',
      'CONTROL PLANE',
      'VERSION',
    ]);
    assert.deepEqual(await table.locator('tbody tr td:first-child').allTextContents(), [
      'frontend.shop',
      'product-v1.shop',
      'product-v2.shop',
    ]);
    assert.equal(await table.locator('tbody tr[data-status="SYNCED"]').count(), 2);
    await shoot('proxies');
  });

  it('lists stored config and shows a resource as YAML and JSON', async () => {
    await tab('Config').click();
    const rows = page.getByTestId('config-table').locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    await rows.filter({ hasText: 'VirtualService' }).getByRole('button', { name: 'product' }).click();
    const source = page.getByTestId('resource-source');
    await source.waitFor();
    const yaml = (await source.textContent()) ?? '';
    assert.match(yaml, /^kind: VirtualService$/m);
    assert.match(yaml, /subset: v1/);
    await page.getByRole('button', { name: 'JSON' }).click();
    assert.match((await source.textContent()) ?? '', /"kind": "VirtualService"/);
    await shoot('config');
  });

  it('lists analyzer findings with code, level and resource', async () => {
    await tab('Findings').click();
    const rows = page.getByTestId('findings-table').locator('tbody tr');
    await rows.first().waitFor();
    assert.match((await rows.nth(0).textContent()) ?? '', /IST0101.*Error.*VirtualService shop\/product/);
    assert.match((await rows.nth(1).textContent()) ?? '', /IST0128.*Warning/);
    await shoot('findings');
    await page.getByRole('button', { name: /^Warning/ }).click();
    assert.equal(await rows.count(), 1);
  });

  it('lists recent traces and opens one as a waterfall', async () => {
    await tab('Traces').click();
    const rows = page.getByTestId('traces-table').locator('tbody tr');
    await rows.first().waitFor();
    assert.match(
      (await rows.first().textContent()) ?? '',
      /frontend\.shop\.svc\.cluster\.local:8080\/\*.*frontend\.shop.*12 ms.*3/,
    );
    await rows.first().getByRole('button').click();
    assert.equal(await page.locator('ol.waterfall li').count(), 3);
    await shoot('traces');
  });

  it('shows the API error in a banner and keeps the page, then recovers', async () => {
    assert.ok(server && shotsDir);
    server.fail('/apis/v1/dashboard/overview', 500, 'HEDDLE_HTTP_INTERNAL');
    await tab('Overview').click();
    const banner = page.getByRole('alert');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /HEDDLE_HTTP_INTERNAL.*\/apis\/v1\/dashboard\/overview/);
    assert.equal(await tab('Graph').isVisible(), true);
    await shoot('overview-error');
    server.restore('/apis/v1/dashboard/overview');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByTestId('cp-id').waitFor();
    assert.equal(await banner.count(), 0);
  });

  it('refreshes by itself every 5 s, and not while paused', async () => {
    assert.ok(server);
    const overviewLoads = () =>
      server?.requests.filter((path) => path.startsWith('/apis/v1/dashboard/overview')).length ?? 0;
    await page.getByRole('button', { name: 'Pause auto-refresh' }).click();
    assert.match(await text('refresh-note'), /^paused/);
    const whilePaused = overviewLoads();
    await page.waitForTimeout(5_500);
    assert.equal(overviewLoads(), whilePaused, 'a paused page fetched again');
    await page.getByRole('button', { name: 'Resume auto-refresh' }).click();
    assert.match(await text('refresh-note'), /^every 5 s/);
    for (let waited = 0; waited < 8_000 && overviewLoads() === whilePaused; waited += 100)
      await page.waitForTimeout(100);
    assert.ok(overviewLoads() > whilePaused, 'the page did not refresh within 8 s of resuming');
  });

  it('took a screenshot of the graph and raised no page errors', async () => {
    assert.ok(shotsDir);
    await tab('Graph').click();
    await page.getByTestId('graph-canvas').locator('canvas').first().waitFor();
    await shoot('graph');
    assert.deepEqual(pageErrors, []);
  });
});
