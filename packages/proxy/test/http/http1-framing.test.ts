// HTTP/1.1 framing attacks not covered by hardening.test.ts: bare CR line ends, malformed chunk sizes and
// chunk framing, whitespace tricks around Transfer-Encoding and Content-Length, and a slow request body.
// Each is refused and the connection closed; a request smuggled behind it never reaches the upstream.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { hcmConfig, rawExchange, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nhost: a\r\n\r\n';

describe('HTTP/1.1 framing', { timeout: 30_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;

  before(async () => {
    upstream = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'app',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: 'app' } } },
          },
        ]),
        { requestTimeout: { seconds: 0n, nanos: 400_000_000 } },
      ),
      clusters,
    );
  });

  afterEach(async () => {
    assert.equal(
      upstream.received.filter((r) => r.url === '/smuggled' || r.url.startsWith('/attack')).length,
      0,
      'neither the attack nor a request smuggled behind it reached the upstream',
    );
    const good = await rawExchange(proxy.port, 'GET /good HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n');
    assert.match(good, /^HTTP\/1\.1 200/, 'a good request is still served');
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  /** The first response must be the refusal and the connection must close right after it. */
  const refused = async (raw: string, status = '400') => {
    const response = await rawExchange(proxy.port, raw, 2000);
    assert.match(response, new RegExp(`^HTTP/1\\.1 (${status}) `), JSON.stringify(response.slice(0, 80)));
    assert.equal(response.match(/HTTP\/1\.1 \d{3}/g)?.length, 1, 'exactly one response on the connection');
  };

  it('refuses bare CR line endings in the request line and in headers', async () => {
    await refused(`GET /attack/cr HTTP/1.1\rhost: a\r\n\r\n${SMUGGLED}`);
    await refused(`GET /attack/cr HTTP/1.1\r\nhost: a\rx-a: b\r\n\r\n${SMUGGLED}`);
  });

  it('refuses a bare LF inside the headers', async () => {
    await refused(`GET /attack/lf HTTP/1.1\r\nhost: a\nx-a: b\r\n\r\n${SMUGGLED}`);
  });

  for (const [name, body] of [
    ['a non-hex chunk size', '5x\r\nhello\r\n0\r\n\r\n'],
    ['a negative chunk size', '-5\r\nhello\r\n0\r\n\r\n'],
    ['an overflowing chunk size', 'fffffffffffffffff\r\nhello\r\n0\r\n\r\n'],
    ['a chunk longer than its size', '3\r\nhello\r\n0\r\n\r\n'],
    ['a chunk size with a leading space', ' 5\r\nhello\r\n0\r\n\r\n'],
    ['a chunk size ended by a bare LF', '5\nhello\r\n0\r\n\r\n'],
  ] as const) {
    it(`refuses ${name}`, async () => {
      await refused(
        `POST /attack/chunk HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n${body}${SMUGGLED}`,
      );
    });
  }

  it('refuses Transfer-Encoding values that only resemble chunked', async () => {
    for (const te of ['xchunked', 'chunked, identity', 'chunked;q=1']) {
      await refused(
        `POST /attack/te HTTP/1.1\r\nhost: a\r\ntransfer-encoding: ${te}\r\n\r\n0\r\n\r\n${SMUGGLED}`,
        '400|501',
      );
    }
  });

  it('refuses a Transfer-Encoding header name with whitespace before the colon', async () => {
    await refused(
      `POST /attack/te-space HTTP/1.1\r\nhost: a\r\ntransfer-encoding : chunked\r\ncontent-length: 3\r\n\r\nabc${SMUGGLED}`,
    );
  });

  it('refuses a Content-Length that is not a plain number, or comma-joined values', async () => {
    for (const length of ['+3', '3 3', '0x3', '3,4']) {
      await refused(`POST /attack/cl HTTP/1.1\r\nhost: a\r\ncontent-length: ${length}\r\n\r\nabc${SMUGGLED}`);
    }
  });

  it('refuses Transfer-Encoding on an HTTP/1.0 request', async () => {
    await refused(
      `POST /attack/te10 HTTP/1.0\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
      '400|501',
    );
  });

  it('answers 408 to a client that sends its body too slowly (request_timeout)', async () => {
    const started = Date.now();
    const response = await rawExchange(
      proxy.port,
      'POST /slow-body HTTP/1.1\r\nhost: a\r\ncontent-length: 100\r\n\r\nonly a part',
      5000,
    );
    const elapsed = Date.now() - started;
    assert.match(response, /^HTTP\/1\.1 408 /);
    assert.ok(elapsed >= 300 && elapsed < 4500, `took ${elapsed} ms`);
  });
});
