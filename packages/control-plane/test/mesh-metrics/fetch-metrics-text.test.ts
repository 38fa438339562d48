// One scrape is bounded: 200 only, at most the body limit, at most the timeout, against real loopback servers.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchMetricsText } from '../../src/mesh-metrics/fetch-metrics-text.ts';

describe('fetchMetricsText', { timeout: 20_000 }, () => {
  let server: Server;
  let base: string;
  const stalled = new Set<() => void>();

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') res.end('istio_requests_total{reporter="source"} 1\n');
      else if (req.url === '/big') res.end('x'.repeat(64 * 1024));
      else if (req.url === '/slow') {
        res.writeHead(200);
        res.write('istio_');
        // Never finished until the test ends.
        stalled.add(() => res.end());
      } else {
        res.writeHead(500);
        res.end('no');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const finish of stalled) finish();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns the body of a 200', async () => {
    assert.equal(await fetchMetricsText(`${base}/ok`), 'istio_requests_total{reporter="source"} 1\n');
  });

  it('refuses other statuses, bodies over the limit and answers past the timeout', async () => {
    await assert.rejects(fetchMetricsText(`${base}/error`), /answered 500/);
    await assert.rejects(
      fetchMetricsText(`${base}/big`, { timeoutMs: 2_000, maxBytes: 1024 }),
      /more than 1024 bytes/,
    );
    await assert.rejects(
      fetchMetricsText(`${base}/slow`, { timeoutMs: 200, maxBytes: 1024 }),
      /within 200 ms/,
    );
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(fetchMetricsText(`http://127.0.0.1:${port}/stats/prometheus`), /ECONNREFUSED/);
  });
});
