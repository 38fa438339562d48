// HTTP/2 both ways: h2c (prior knowledge) clients through to HTTP/1.1 upstreams, HTTP/1.1 clients through
// to h2c upstreams, and gRPC-style h2 → h2 with request bodies and response trailers.
import assert from 'node:assert/strict';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import {
  startHttp1Upstream,
  startHttp2Upstream,
  type H2Upstream,
  type Upstream,
} from './helpers/upstreams.ts';

interface H2Result {
  headers: IncomingHttpHeaders;
  body: string;
  trailers: IncomingHttpHeaders | undefined;
}

function h2request(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  body?: string,
): Promise<H2Result> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let response: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (h: IncomingHttpHeaders) => (response = h));
    stream.on('trailers', (t: IncomingHttpHeaders) => (trailers = t));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve({ headers: response, body: Buffer.concat(chunks).toString(), trailers }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

describe('HTTP/2', { timeout: 20_000 }, () => {
  let h1: Upstream;
  let h2: H2Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  let session: ClientHttp2Session;

  before(async () => {
    h1 = await startHttp1Upstream('h1');
    h2 = await startHttp2Upstream();
    clusters = new TestClusters();
    clusters.add('h1', { ports: [h1.port] });
    clusters.add('h2', { ports: [h2.port], protocol: 'http2' });
    const to = (cluster: string) => ({
      case: 'route' as const,
      value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
    });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          { name: 'to-h2', match: { pathSpecifier: { case: 'prefix', value: '/h2' } }, action: to('h2') },
          { name: 'to-h1', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to('h1') },
        ]),
      ),
      clusters,
    );
    session = connect(proxy.url);
  });

  after(async () => {
    session?.close();
    await proxy?.close();
    await clusters?.close();
    await h1?.close();
    await h2?.close();
  });

  it('serves h2c clients from an HTTP/1.1 upstream, body both ways', async () => {
    const res = await h2request(
      session,
      { ':method': 'POST', ':path': '/echo?x=1', 'content-type': 'text/plain', cookie: 'a=1' },
      'hello h2',
    );
    assert.equal(res.headers[':status'], 200);
    const echoed = JSON.parse(res.body) as { url: string; body: string; headers: Record<string, string> };
    assert.equal(echoed.url, '/echo?x=1');
    assert.equal(echoed.body, 'hello h2');
    assert.equal(echoed.headers['x-forwarded-proto'], 'http');
    assert.equal(echoed.headers.host, `127.0.0.1:${proxy.port}`);
    assert.equal(proxy.stats.value('http.test.downstream_rq_http2_total'), 1);
  });

  it('runs many concurrent streams on one connection', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => h2request(session, { ':path': `/n/${i}` })),
    );
    assert.ok(results.every((r) => Number(r.headers[':status']) === 200));
    assert.deepEqual(
      results.map((r) => (JSON.parse(r.body) as { url: string }).url),
      Array.from({ length: 30 }, (_, i) => `/n/${i}`),
    );
  });

  it('forwards HTTP/1.1 clients to an h2c upstream', async () => {
    const res = await request(`${proxy.url}/h2/thing`, { method: 'POST', body: 'to h2' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-upstream-protocol'], 'h2');
    const body = JSON.parse(await res.body.text()) as { path: string; body: string };
    assert.deepEqual(body.path, '/h2/thing');
    assert.equal(body.body, 'to h2');
  });

  it('carries gRPC-style trailers from an h2 upstream to an h2 client', async () => {
    h2.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'ok' }));
      stream.end(Buffer.from([0, 0, 0, 0, 1, 42]));
    };
    const res = await h2request(
      session,
      { ':method': 'POST', ':path': '/h2/pkg.Svc/Call', 'content-type': 'application/grpc', te: 'trailers' },
      '\0\0\0\0\0',
    );
    assert.equal(res.headers[':status'], 200);
    assert.equal(res.trailers?.['grpc-status'], '0');
    assert.equal(res.trailers?.['grpc-message'], 'ok');
    assert.equal(h2.received.at(-1)?.headers.te, 'trailers');
  });
});
