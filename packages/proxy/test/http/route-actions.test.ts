// Route actions other than plain forwarding: redirects, direct responses, path and host rewrites, and
// request/response header edits at route, virtual host and route-configuration level.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

const prefix = (value: string) => ({ pathSpecifier: { case: 'prefix' as const, value } });

describe('route actions', { timeout: 20_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;

  before(async () => {
    upstream = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    proxy = await startProxy(
      hcmConfig({
        name: 'rc',
        requestHeadersToAdd: [{ header: { key: 'x-level', value: 'config' }, appendAction: 2 }],
        responseHeadersToAdd: [{ header: { key: 'x-config', value: '1' } }],
        responseHeadersToRemove: ['x-secret'],
        virtualHosts: [
          {
            name: 'tls-only',
            domains: ['secure.local'],
            requireTls: 2,
            routes: [
              {
                name: 'any',
                match: prefix('/'),
                action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: 'app' } } },
              },
            ],
          },
          {
            name: 'vh',
            domains: ['*'],
            requestHeadersToAdd: [{ header: { key: 'x-vhost', value: 'yes' } }],
            requestHeadersToRemove: ['x-drop-me'],
            routes: [
              {
                name: 'redirect',
                match: prefix('/old/'),
                action: {
                  case: 'redirect',
                  value: {
                    pathRewriteSpecifier: { case: 'prefixRewrite', value: '/new/' },
                    responseCode: 1,
                    hostRedirect: 'example.com',
                  },
                },
              },
              {
                name: 'https',
                match: prefix('/secure'),
                action: {
                  case: 'redirect',
                  value: { schemeRewriteSpecifier: { case: 'httpsRedirect', value: true }, stripQuery: true },
                },
              },
              {
                name: 'direct',
                match: prefix('/direct'),
                action: {
                  case: 'directResponse',
                  value: {
                    status: 418,
                    body: { specifier: { case: 'inlineString', value: "I'm a teapot" } },
                  },
                },
                responseHeadersToAdd: [{ header: { key: 'x-direct', value: 'true' } }],
              },
              {
                name: 'prefix-rewrite',
                match: prefix('/api/v1/'),
                action: {
                  case: 'route',
                  value: {
                    clusterSpecifier: { case: 'cluster', value: 'app' },
                    prefixRewrite: '/v1/',
                    hostRewriteSpecifier: { case: 'hostRewriteLiteral', value: 'backend.local' },
                  },
                },
              },
              {
                name: 'regex-rewrite',
                match: prefix('/users/'),
                action: {
                  case: 'route',
                  value: {
                    clusterSpecifier: { case: 'cluster', value: 'app' },
                    regexRewrite: {
                      pattern: { regex: '^/users/([0-9]+)/profile$' },
                      substitution: '/profiles/\\1',
                    },
                    hostRewriteSpecifier: { case: 'autoHostRewrite', value: { value: true } },
                  },
                },
              },
              {
                name: 'headers',
                match: prefix('/'),
                requestHeadersToAdd: [
                  { header: { key: 'x-level', value: 'route' }, appendAction: 2 },
                  { header: { key: 'x-multi', value: 'added' }, appendAction: 0 },
                  { header: { key: 'x-if-absent', value: 'default' }, appendAction: 1 },
                ],
                requestHeadersToRemove: ['x-remove'],
                responseHeadersToAdd: [{ header: { key: 'x-route', value: 'r' } }],
                action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: 'app' } } },
              },
            ],
          },
        ],
      }),
      clusters,
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  it('redirects with a prefix rewrite and a new host, keeping the query', async () => {
    const res = await request(`${proxy.url}/old/page?x=1`, { headers: { host: 'site.test' } });
    await res.body.text();
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, 'http://example.com/new/page?x=1');
  });

  it('redirects to https, dropping the old default port and the query when asked', async () => {
    const res = await request(`${proxy.url}/secure/a?b=c`, { headers: { host: 'site.test:80' } });
    await res.body.text();
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, 'https://site.test/secure/a');
  });

  it('redirects plaintext requests to https on a virtual host that requires TLS', async () => {
    const res = await request(`${proxy.url}/pay?x=1`, { headers: { host: 'secure.local' } });
    await res.body.text();
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, 'https://secure.local/pay?x=1');
    assert.equal(upstream.received.length, 0);
  });

  it('answers direct responses with their body and the route response headers', async () => {
    const res = await request(`${proxy.url}/direct`);
    assert.equal(res.statusCode, 418);
    assert.equal(await res.body.text(), "I'm a teapot");
    assert.equal(res.headers['x-direct'], 'true');
    assert.equal(res.headers['x-config'], '1');
    assert.equal(upstream.received.length, 0);
  });

  it('rewrites the path prefix and the host', async () => {
    const res = await request(`${proxy.url}/api/v1/items?id=3`);
    await res.body.text();
    const seen = upstream.received.at(-1);
    assert.equal(seen?.url, '/v1/items?id=3');
    assert.equal(seen?.headers.host, 'backend.local');
    assert.equal(seen?.headers['x-envoy-original-path'], '/api/v1/items?id=3');
  });

  it('rewrites with a regex substitution and sets the host to the chosen upstream', async () => {
    const res = await request(`${proxy.url}/users/42/profile`);
    await res.body.text();
    const seen = upstream.received.at(-1);
    assert.equal(seen?.url, '/profiles/42');
    assert.equal(seen?.headers.host, `127.0.0.1:${upstream.port}`);
  });

  it('applies header edits of route, virtual host and configuration (the configuration last)', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(200, { 'x-secret': 'leak' });
      res.end('ok');
    };
    const res = await request(`${proxy.url}/anything`, {
      headers: {
        'x-remove': '1',
        'x-drop-me': '1',
        'x-multi': 'client',
        'x-if-absent': 'client',
        'x-level': 'client',
      },
    });
    await res.body.text();
    const seen = upstream.received.at(-1)?.headers;
    assert.equal(seen?.['x-remove'], undefined);
    assert.equal(seen?.['x-drop-me'], undefined);
    assert.equal(seen?.['x-vhost'], 'yes');
    assert.equal(seen?.['x-level'], 'config');
    assert.equal(seen?.['x-multi'], 'client, added');
    assert.equal(seen?.['x-if-absent'], 'client');
    assert.equal(res.headers['x-route'], 'r');
    assert.equal(res.headers['x-config'], '1');
    assert.equal(res.headers['x-secret'], undefined);
  });
});
