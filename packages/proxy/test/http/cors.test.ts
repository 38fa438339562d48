// CORS: preflights from allowed origins are answered locally with the policy's headers; actual requests get
// Access-Control-Allow-Origin and friends; other origins get nothing (and their preflights go upstream).
import { CORS_POLICY_TYPE_URL, HTTP_FILTERS, packAny } from '@heddle/xds';
import { CorsPolicySchema } from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

describe('cors', { timeout: 20_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;

  before(async () => {
    upstream = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    const policy = packAny(CorsPolicySchema, {
      allowOriginStringMatch: [
        { matchPattern: { case: 'exact', value: 'https://app.example.com' } },
        { matchPattern: { case: 'safeRegex', value: { regex: 'https://.*\\.trusted\\.org' } } },
      ],
      allowMethods: 'GET,POST',
      allowHeaders: 'content-type,x-token',
      exposeHeaders: 'x-trace',
      maxAge: '600',
      allowCredentials: true,
    });
    assert.equal(policy.typeUrl, CORS_POLICY_TYPE_URL);
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'api',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            typedPerFilterConfig: { [HTTP_FILTERS.CORS]: policy },
            action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: 'app' } } },
          },
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

  it('answers an allowed preflight locally with the policy', async () => {
    const res = await request(`${proxy.url}/api`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    await res.body.text();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(res.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(res.headers['access-control-allow-headers'], 'content-type,x-token');
    assert.equal(res.headers['access-control-max-age'], '600');
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.equal(upstream.received.length, 0);
  });

  it('adds CORS headers to actual requests from allowed origins only', async () => {
    const valid = proxy.stats.value('http.test.cors.origin_valid');
    const ok = await request(`${proxy.url}/api`, { headers: { origin: 'https://x.trusted.org' } });
    await ok.body.text();
    assert.equal(ok.headers['access-control-allow-origin'], 'https://x.trusted.org');
    assert.equal(ok.headers['access-control-expose-headers'], 'x-trace');
    const bad = await request(`${proxy.url}/api`, { headers: { origin: 'https://evil.example' } });
    await bad.body.text();
    assert.equal(bad.statusCode, 200);
    assert.equal(bad.headers['access-control-allow-origin'], undefined);
    assert.equal(proxy.stats.value('http.test.cors.origin_valid'), valid + 1);
    assert.equal(proxy.stats.value('http.test.cors.origin_invalid'), 1);
  });

  it('forwards a preflight from an origin that is not allowed', async () => {
    const before = upstream.received.length;
    const res = await request(`${proxy.url}/api`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    await res.body.text();
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(upstream.received.length, before + 1);
  });
});
