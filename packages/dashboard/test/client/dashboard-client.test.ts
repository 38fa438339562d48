import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  ApiError,
  CLIENT_ERROR_CODES,
  fetchFindings,
  fetchGraph,
  fetchOverview,
  fetchProxyStatus,
  fetchRegistry,
  fetchResources,
  fetchSeries,
  fetchTraces,
} from '../../src/client/index.ts';
import { FINDINGS, GRAPH, OVERVIEW, RESOURCES, SYNCZ, TRACES } from '../support/fixtures.ts';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.ts';

describe('the dashboard client against a loopback control plane', { timeout: 20_000 }, () => {
  let server: FixtureServer;
  before(async () => {
    server = await startFixtureServer();
  });
  after(() => server.close());

  it('reads every route and returns the contract shapes', async () => {
    const options = { baseUrl: server.url };
    assert.deepEqual(await fetchOverview(undefined, options), OVERVIEW);
    assert.deepEqual(await fetchGraph({ windowSeconds: 300 }, options), GRAPH);
    assert.deepEqual(await fetchFindings(options), FINDINGS);
    assert.deepEqual(await fetchProxyStatus(options), SYNCZ);
    assert.deepEqual(await fetchResources(undefined, options), RESOURCES);
    assert.deepEqual(await fetchTraces(5, options), TRACES);
    assert.equal((await fetchRegistry(options)).length, 2);
    const series = await fetchSeries({ namespace: 'shop', workload: 'product-v1' }, 60, options);
    assert.equal(series.workload, 'product-v1');
    assert.equal(series.requestsPerSecond.length, series.timestamps.length);
  });

  it('puts the window, namespace and target in the query string', async () => {
    const seen: string[] = [];
    const probe = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    try {
      await fetchOverview(900, { baseUrl });
      await fetchGraph({ windowSeconds: 60, namespace: 'shop' }, { baseUrl });
      await fetchGraph({ windowSeconds: 900, namespace: '' }, { baseUrl });
      await fetchSeries({ namespace: 'shop', service: 'product.shop.svc.cluster.local' }, 300, { baseUrl });
      await fetchResources('shop', { baseUrl });
      await fetchTraces(50, { baseUrl });
    } finally {
      probe.closeAllConnections();
      await new Promise((resolve) => probe.close(resolve));
    }
    assert.deepEqual(seen, [
      '/apis/v1/dashboard/overview?window=900',
      '/apis/v1/dashboard/graph?window=60&namespace=shop',
      '/apis/v1/dashboard/graph?window=900',
      '/apis/v1/dashboard/series?namespace=shop&service=product.shop.svc.cluster.local&window=300',
      '/apis/v1/resources?namespace=shop',
      '/api/v2/traces?limit=50',
    ]);
  });

  it("turns a non-2xx answer into an ApiError with the control plane's code", async () => {
    server.fail('/apis/v1/dashboard/overview', 503, 'HEDDLE_HTTP_NOT_READY');
    try {
      await assert.rejects(fetchOverview(undefined, { baseUrl: server.url }), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 503);
        assert.equal(error.code, 'HEDDLE_HTTP_NOT_READY');
        assert.equal(error.path, '/apis/v1/dashboard/overview');
        assert.match(error.message, /fixture failure/);
        return true;
      });
    } finally {
      server.restore('/apis/v1/dashboard/overview');
    }
  });

  it('keeps the status when the error body is not the control plane’s', async () => {
    const plain = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad Gateway</h1>');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    try {
      await assert.rejects(fetchFindings({ baseUrl }), { status: 502, code: CLIENT_ERROR_CODES.HTTP_STATUS });
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('reports an unreachable control plane with status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(fetchOverview(undefined, { baseUrl: `http://127.0.0.1:${port}` }), {
      status: 0,
      code: CLIENT_ERROR_CODES.UNREACHABLE,
    });
  });
});
