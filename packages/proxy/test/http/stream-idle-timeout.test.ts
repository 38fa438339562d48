// stream_idle_timeout (Envoy semantics): a stream with no activity either way for the duration ends with 408
// before response headers or a reset after them, flagged SI and counted; activity keeps it alive; a route's
// idle_timeout replaces the connection manager's, and 0 disables either.
import assert from 'node:assert/strict';
import { connect as h2connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, rawExchange, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

const ms = (n: number) => ({ seconds: BigInt(Math.floor(n / 1000)), nanos: (n % 1000) * 1_000_000 });

function forward(extra: Record<string, unknown> = {}) {
  return {
    case: 'route' as const,
    value: { clusterSpecifier: { case: 'cluster' as const, value: 'app' }, timeout: ms(0), ...extra },
  };
}

const prefix = (value: string) => ({ pathSpecifier: { case: 'prefix' as const, value } });

describe('stream idle timeout', { timeout: 30_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  /** The same routes behind a connection manager whose stream_idle_timeout is 0 (disabled). */
  let routeOnly: ProxyHarness;
  const upstreamClosed: string[] = [];

  before(async () => {
    upstream = await startHttp1Upstream('app');
    upstream.handler = (req, res) => {
      req.socket.once('close', () => upstreamClosed.push(req.url ?? ''));
      const path = req.url ?? '';
      if (path.includes('/hold')) return;
      if (path.includes('/late')) {
        setTimeout(() => res.end('late'), 450);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (path.startsWith('/trickle')) {
        let sent = 0;
        const timer = setInterval(() => {
          sent += 1;
          if (sent < 8) res.write(`${sent};`);
          else {
            clearInterval(timer);
            res.end('done');
          }
        }, 60);
        res.once('close', () => clearInterval(timer));
        return;
      }
      if (path.startsWith('/stall')) {
        res.write('first;');
        return;
      }
      res.end('ok');
    };
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    const routes = routeConfig([
      { name: 'route-off', match: prefix('/off'), action: forward({ idleTimeout: ms(0) }) },
      { name: 'route-short', match: prefix('/short'), action: forward({ idleTimeout: ms(150) }) },
      { name: 'app', match: prefix('/'), action: forward() },
    ]);
    proxy = await startProxy(hcmConfig(routes, { streamIdleTimeout: ms(250) }), clusters);
    routeOnly = await startProxy(hcmConfig(routes, { streamIdleTimeout: ms(0) }), clusters);
  });

  after(async () => {
    await proxy?.close();
    await routeOnly?.close();
    await clusters?.close();
    await upstream?.close();
  });

  it('answers 408 with SI when nothing happens before the response, and cancels the upstream request', async () => {
    const done = proxy.nextStream();
    const started = Date.now();
    const res = await request(`${proxy.url}/hold/a`);
    assert.equal(res.statusCode, 408);
    assert.equal(await res.body.text(), 'stream timeout');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 200 && elapsed < 5000, `took ${elapsed} ms`);
    const info = await done;
    assert.deepEqual([...info.responseFlags], ['SI']);
    assert.equal(info.responseCodeDetails, 'stream_idle_timeout');
    assert.equal(proxy.stats.value('http.test.downstream_rq_idle_timeout'), 1);
    for (let i = 0; i < 50 && !upstreamClosed.includes('/hold/a'); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(upstreamClosed.includes('/hold/a'), 'the upstream request was cancelled');
  });

  it('keeps a stream alive while data keeps flowing, even past the timeout in total', async () => {
    const started = Date.now();
    const res = await request(`${proxy.url}/trickle`);
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), '1;2;3;4;5;6;7;done');
    assert.ok(Date.now() - started > 250, 'the exchange outlasted the idle timeout');
  });

  it('resets a stream that goes idle after the response started', async () => {
    const done = proxy.nextStream();
    const res = await request(`${proxy.url}/stall`);
    assert.equal(res.statusCode, 200);
    await assert.rejects(res.body.text());
    const info = await done;
    assert.ok(info.responseFlags.has('SI'), [...info.responseFlags].join());
    assert.equal(info.responseCode, 200);
  });

  it('times out a client that stops sending its request body, and closes the connection', async () => {
    const before = upstream.received.length;
    const response = await rawExchange(
      proxy.port,
      'POST /hold/body HTTP/1.1\r\nhost: a\r\ncontent-length: 10\r\n\r\nabc',
      3000,
    );
    assert.match(response, /^HTTP\/1\.1 408 /);
    assert.match(response, /connection: close/i);
    assert.equal(upstream.received.length, before, 'the incomplete request never completed upstream');
  });

  it('answers 408 on an idle HTTP/2 stream and keeps the session serving', async () => {
    const session = h2connect(proxy.url);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/hold/h2' }, { endStream: false });
        stream.write('part');
        stream.on('response', (h) => resolve(Number(h[':status'])));
        stream.on('error', reject);
        stream.resume();
      });
      assert.equal(status, 408);
      const ok = await new Promise<number>((resolve) => {
        const stream = session.request({ ':path': '/ok' });
        stream.on('response', (h) => resolve(Number(h[':status'])));
        stream.resume();
      });
      assert.equal(ok, 200);
    } finally {
      session.close();
    }
  });

  it("lets a route's idle_timeout of 0 turn the timer off", async () => {
    const res = await request(`${proxy.url}/off/late`);
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), 'late');
  });

  it("applies a route's idle_timeout where the connection manager has none, and 0 disables the HCM's", async () => {
    const res = await request(`${routeOnly.url}/late`);
    assert.equal(res.statusCode, 200, 'stream_idle_timeout 0: no idle timeout');
    assert.equal(await res.body.text(), 'late');
    const done = routeOnly.nextStream();
    const short = await request(`${routeOnly.url}/short/late`);
    assert.equal(short.statusCode, 408);
    await short.body.text();
    assert.deepEqual([...(await done).responseFlags], ['SI']);
  });
});
