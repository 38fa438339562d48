// Drain and close: HTTP/1.1 responses after drain() carry `Connection: close`, HTTP/2 sessions get GOAWAY
// while in-flight streams finish, and circuit breakers answer 503 UO with no healthy host as 503 UH.
import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

describe('drain, overflow and no healthy host', { timeout: 20_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;

  before(async () => {
    upstream = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    clusters.add('full', { ports: [upstream.port], maxRequests: 0 });
    clusters.add('empty', { ports: [] });
    const to = (c: string) => ({
      case: 'route' as const,
      value: { clusterSpecifier: { case: 'cluster' as const, value: c } },
    });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          { name: 'full', match: { pathSpecifier: { case: 'prefix', value: '/full' } }, action: to('full') },
          {
            name: 'empty',
            match: { pathSpecifier: { case: 'prefix', value: '/empty' } },
            action: to('empty'),
          },
          { name: 'app', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to('app') },
        ]),
      ),
      clusters,
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  it('answers 503 UO when the circuit breaker is full and 503 UH without a healthy host', async () => {
    for (const [path, flag] of [
      ['/full', 'UO'],
      ['/empty', 'UH'],
    ] as const) {
      const done = proxy.nextStream();
      const res = await request(`${proxy.url}${path}`);
      await res.body.text();
      assert.equal(res.statusCode, 503);
      assert.deepEqual([...(await done).responseFlags], [flag]);
    }
  });

  it('drains: HTTP/2 gets GOAWAY after in-flight streams, HTTP/1.1 gets Connection: close', async () => {
    const agent = new Agent();
    const warm = await request(`${proxy.url}/warm`, { dispatcher: agent });
    await warm.body.text();
    const session = connect(proxy.url);
    await new Promise<void>((resolve) => session.once('connect', () => resolve()));
    upstream.handler = (_req, res) => setTimeout(() => res.end('late'), 150);
    const inflight = new Promise<string>((resolve) => {
      const stream = session.request({ ':path': '/inflight' });
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => resolve(body));
    });
    await new Promise((r) => setTimeout(r, 50));
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    proxy.handler.drain();
    await goaway;
    assert.equal(await inflight, 'late');
    const res = await request(`${proxy.url}/after-drain`, { dispatcher: agent });
    await res.body.text();
    assert.equal(res.headers.connection, 'close');
    session.destroy();
    await agent.close();
  });
});
