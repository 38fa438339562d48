// Attacks on the HTTP front door: request smuggling shapes, header limits, NUL and invalid methods,
// path canonicalization shared by routing and forwarding, slow clients, and internal headers from the edge.
// After each attack the proxy still serves a good request and nothing reached the upstream.
import assert from 'node:assert/strict';
import { connect as h2connect } from 'node:http2';
import { connect } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, rawExchange, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

const GOOD = 'GET /public/ok HTTP/1.1\r\nhost: app.local\r\n\r\n';

describe('HTTP hardening', { timeout: 30_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  let expectedReceived = 0;

  before(async () => {
    upstream = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    const to = {
      case: 'route' as const,
      value: { clusterSpecifier: { case: 'cluster' as const, value: 'app' } },
    };
    proxy = await startProxy(
      hcmConfig(
        {
          name: 'rc',
          virtualHosts: [
            {
              name: 'vh',
              domains: ['*'],
              routes: [
                {
                  name: 'admin',
                  match: { pathSpecifier: { case: 'prefix', value: '/admin' } },
                  action: { case: 'directResponse', value: { status: 403 } },
                },
                {
                  name: 'public',
                  match: { pathSpecifier: { case: 'prefix', value: '/public' } },
                  action: to,
                },
              ],
            },
          ],
        },
        {
          normalizePath: true,
          mergeSlashes: true,
          useRemoteAddress: true,
          requestHeadersTimeout: { seconds: 0n, nanos: 300_000_000 },
        },
      ),
      clusters,
    );
  });

  afterEach(async () => {
    const good = await rawExchange(proxy.port, GOOD.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n'));
    assert.match(good, /^HTTP\/1\.1 200/, 'a good request is still served');
    expectedReceived += 1;
    assert.equal(upstream.received.length, expectedReceived, 'nothing else reached the upstream');
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  const refused = async (raw: string, status: number | string = 400) => {
    const response = await rawExchange(proxy.port, raw);
    assert.match(response, new RegExp(`^HTTP/1\\.1 (${status}) `), JSON.stringify(response.slice(0, 60)));
  };

  it('refuses Content-Length together with Transfer-Encoding', async () => {
    await refused(
      'POST /public/x HTTP/1.1\r\nhost: a\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nhost: a\r\n\r\n',
    );
  });

  it('refuses conflicting Content-Length headers', async () => {
    await refused(
      'POST /public/x HTTP/1.1\r\nhost: a\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!',
    );
  });

  it('refuses obs-fold header continuations', async () => {
    await refused('GET /public/x HTTP/1.1\r\nhost: a\r\nx-folded: one\r\n two\r\n\r\n');
  });

  it('refuses bare LF line endings', async () => {
    await refused('GET /public/x HTTP/1.1\nhost: a\n\n');
  });

  it('refuses unknown transfer codings', async () => {
    await refused(
      'POST /public/x HTTP/1.1\r\nhost: a\r\ntransfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      501,
    );
    await refused(
      'POST /public/x HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
      '400|501',
    );
  });

  it('answers 431 for oversized headers', async () => {
    await refused(`GET /public/x HTTP/1.1\r\nhost: a\r\nx-big: ${'a'.repeat(70 * 1024)}\r\n\r\n`, 431);
  });

  it('answers 431 for more than 100 headers', async () => {
    const overflows = proxy.stats.value('http.test.downstream_rq_headers_too_large');
    const many = Array.from({ length: 101 }, (_, i) => `x-h${i}: v`).join('\r\n');
    await refused(`GET /public/x HTTP/1.1\r\nhost: a\r\n${many}\r\n\r\n`, 431);
    assert.equal(proxy.stats.value('http.test.downstream_rq_headers_too_large'), overflows + 1);
  });

  it('refuses %00 in the path', async () => {
    await refused('GET /public/a%00b HTTP/1.1\r\nhost: a\r\n\r\n');
  });

  it('refuses lower-case and invalid methods, header names with whitespace, and a missing Host', async () => {
    await refused('get /public/x HTTP/1.1\r\nhost: a\r\n\r\n');
    await refused('G@T /public/x HTTP/1.1\r\nhost: a\r\n\r\n');
    await refused('GET /public/x HTTP/1.1\r\nhost: a\r\nbad name: v\r\n\r\n');
    await refused('GET /public/x HTTP/1.1\r\n\r\n');
    await refused('GET /public/x HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n');
  });

  it('routes and forwards the same canonical path (dot segments, encoded dots, merged slashes)', async () => {
    for (const path of [
      '/public/../admin',
      '/public/%2e%2e/admin',
      '/public/%2E%2E/%2e/admin',
      '//admin',
      '/public\\..\\admin',
    ]) {
      const response = await rawExchange(
        proxy.port,
        `GET ${path} HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n`,
      );
      assert.match(response, /^HTTP\/1\.1 403 /, `${path} is /admin`);
    }
    const res = await request(`${proxy.url}/public/a/./b/../c//d?q=%2e%2e`);
    await res.body.text();
    assert.equal(upstream.received.at(-1)?.url, '/public/a/c/d?q=%2e%2e');
    expectedReceived += 1;
  });

  it('keeps encoded slashes encoded: they never split a segment for routing or forwarding', async () => {
    const res = await request(`${proxy.url}/public%2F..%2Fadmin`);
    await res.body.text();
    assert.equal(res.statusCode, 200, 'not /admin');
    assert.equal(upstream.received.at(-1)?.url, '/public%2F..%2Fadmin');
    expectedReceived += 1;
    const fwd = await request(`${proxy.url}/public/x%2fy`);
    await fwd.body.text();
    assert.equal(upstream.received.at(-1)?.url, '/public/x%2Fy');
    expectedReceived += 1;
  });

  it('strips the fragment and keeps the query as sent', async () => {
    const response = await rawExchange(
      proxy.port,
      'GET /public/frag?a=1&b=%2F#/../../admin HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n',
    );
    assert.match(response, /^HTTP\/1\.1 200/);
    assert.equal(upstream.received.at(-1)?.url, '/public/frag?a=1&b=%2F');
    expectedReceived += 1;
  });

  it('times out a client that trickles its headers', async () => {
    const started = Date.now();
    const response = await new Promise<string>((resolve) => {
      const socket = connect(proxy.port, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
      socket.write('GET /public/slow HTTP/1.1\r\nhost: a\r\n');
      const timer = setInterval(
        () => (socket.writable ? socket.write('x-drip: 1\r\n') : clearInterval(timer)),
        50,
      );
      socket.on('close', () => clearInterval(timer));
    });
    const elapsed = Date.now() - started;
    assert.match(response, /^HTTP\/1\.1 408/);
    assert.ok(elapsed >= 250 && elapsed < 5000, `took ${elapsed} ms`);
    assert.equal(proxy.stats.value('http.test.downstream_rq_header_timeout'), 1);
  });

  it('strips x-envoy-* and internal headers from edge clients and appends X-Forwarded-For', async () => {
    const res = await request(`${proxy.url}/public/headers`, {
      headers: {
        'x-envoy-original-dst-host': '10.0.0.1:80',
        'x-envoy-retry-on': '5xx',
        'x-heddle-internal': '1',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-client-cert': 'By=spoof',
      },
    });
    await res.body.text();
    const seen = upstream.received.at(-1)?.headers ?? {};
    assert.equal(seen['x-envoy-original-dst-host'], undefined);
    assert.equal(seen['x-envoy-retry-on'], undefined);
    assert.equal(seen['x-heddle-internal'], undefined);
    assert.equal(seen['x-forwarded-client-cert'], undefined);
    assert.equal(seen['x-forwarded-for'], '203.0.113.9,127.0.0.1');
    assert.equal(seen['x-forwarded-proto'], 'http');
    assert.match(String(seen['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(clusters.cluster('app')?.selections.at(-1)?.originalDestination, undefined);
    expectedReceived += 1;
  });

  it('resets an HTTP/2 stream with too many headers and keeps the session usable', async () => {
    const session = h2connect(proxy.url);
    try {
      const headers: Record<string, string> = { ':path': '/public/h2' };
      for (let i = 0; i < 101; i++) headers[`x-h${i}`] = 'v';
      const code = await new Promise<number>((resolve) => {
        const stream = session.request(headers);
        stream.on('error', () => {});
        stream.on('close', () => resolve(stream.rstCode));
        stream.resume();
      });
      assert.notEqual(code, 0);
      const status = await new Promise<number>((resolve) => {
        const stream = session.request({ ':path': '/public/h2ok' });
        stream.on('response', (h) => resolve(Number(h[':status'])));
        stream.resume();
      });
      assert.equal(status, 200);
      expectedReceived += 1;
    } finally {
      session.close();
    }
  });

  it('refuses a lower-case :method and %00 on HTTP/2 too', async () => {
    const session = h2connect(proxy.url);
    try {
      for (const headers of [{ ':method': 'get', ':path': '/public/x' }, { ':path': '/public/%00' }]) {
        const status = await new Promise<number>((resolve) => {
          const stream = session.request(headers);
          stream.on('response', (h) => resolve(Number(h[':status'])));
          stream.on('error', () => resolve(-1));
          stream.resume();
        });
        assert.equal(status, 400);
      }
    } finally {
      session.close();
    }
  });
});
