// Virtual host and route matching: domains (exact, wildcards, ports, case), path matchers, case sensitivity,
// regex, headers (repeated values), query parameters, and no route → 404 NR.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

const to = (cluster: string) => ({
  case: 'route' as const,
  value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
});

describe('route matching', { timeout: 20_000 }, () => {
  let upstreams: Upstream[];
  let clusters: TestClusters;
  let proxy: ProxyHarness;

  before(async () => {
    upstreams = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => startHttp1Upstream(n)));
    clusters = new TestClusters();
    for (const u of upstreams) clusters.add(u.name, { ports: [u.port] });
    proxy = await startProxy(
      hcmConfig({
        name: 'rc',
        virtualHosts: [
          {
            name: 'exact',
            domains: ['api.example.com', 'api.example.com:8080'],
            routes: [
              {
                name: 'exact-path',
                match: { pathSpecifier: { case: 'path', value: '/exact' } },
                action: to('a'),
              },
              {
                name: 'ci-prefix',
                match: { pathSpecifier: { case: 'prefix', value: '/CI/' }, caseSensitive: false },
                action: to('b'),
              },
              {
                name: 'regex',
                match: { pathSpecifier: { case: 'safeRegex', value: { regex: '/items/[0-9]+' } } },
                action: to('c'),
              },
              {
                name: 'separated',
                match: { pathSpecifier: { case: 'pathSeparatedPrefix', value: '/sep' } },
                action: to('d'),
              },
              {
                name: 'header',
                match: {
                  pathSpecifier: { case: 'prefix', value: '/h' },
                  headers: [
                    {
                      name: 'x-version',
                      headerMatchSpecifier: {
                        case: 'stringMatch',
                        value: { matchPattern: { case: 'exact', value: 'V2' }, ignoreCase: true },
                      },
                    },
                    {
                      name: 'x-absent',
                      headerMatchSpecifier: { case: 'presentMatch', value: true },
                      invertMatch: true,
                    },
                  ],
                },
                action: to('b'),
              },
              {
                name: 'header-regex-range',
                match: {
                  pathSpecifier: { case: 'prefix', value: '/r' },
                  headers: [
                    {
                      name: 'x-id',
                      headerMatchSpecifier: { case: 'safeRegexMatch', value: { regex: 'u-[a-z]+' } },
                    },
                    {
                      name: 'x-n',
                      headerMatchSpecifier: { case: 'rangeMatch', value: { start: 10n, end: 20n } },
                    },
                  ],
                },
                action: to('c'),
              },
              {
                name: 'query',
                match: {
                  pathSpecifier: { case: 'prefix', value: '/q' },
                  queryParameters: [
                    { name: 'debug', queryParameterMatchSpecifier: { case: 'presentMatch', value: true } },
                    {
                      name: 'user',
                      queryParameterMatchSpecifier: {
                        case: 'stringMatch',
                        value: { matchPattern: { case: 'prefix', value: 'adm' } },
                      },
                    },
                  ],
                },
                action: to('d'),
              },
              { name: 'fallback', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to('e') },
            ],
          },
          {
            name: 'suffix',
            domains: ['*.example.com'],
            routes: [
              { name: 's', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to('b') },
            ],
          },
          {
            name: 'prefix',
            domains: ['internal.*'],
            routes: [
              { name: 'p', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to('c') },
            ],
          },
          {
            name: 'longer-suffix',
            domains: ['*.deep.example.com'],
            routes: [
              { name: 'ls', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to('d') },
            ],
          },
          {
            name: 'any',
            domains: ['*'],
            routes: [
              { name: 'only-ok', match: { pathSpecifier: { case: 'path', value: '/ok' } }, action: to('a') },
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
    await Promise.all(upstreams.map((u) => u.close()));
  });

  async function routed(
    host: string,
    path: string,
    headers: Record<string, string | string[]> = {},
  ): Promise<{ status: number; upstream?: string; info: { routeName?: string; flags: string[] } }> {
    const done = proxy.nextStream();
    const res = await request(`${proxy.url}${path}`, { headers: { host, ...headers } });
    const text = await res.body.text();
    const info = await done;
    const upstream = upstreams.find((u) => String(u.port) === res.headers['x-upstream'])?.name;
    void text;
    return {
      status: res.statusCode,
      ...(upstream ? { upstream } : {}),
      info: {
        ...(info.routeName !== undefined ? { routeName: info.routeName } : {}),
        flags: [...info.responseFlags],
      },
    };
  }

  it('picks virtual hosts by exact, suffix, prefix and catch-all domains, case-insensitively and port-aware', async () => {
    assert.equal((await routed('API.Example.com', '/exact')).upstream, 'a');
    assert.equal((await routed('api.example.com:8080', '/exact')).upstream, 'a');
    // A port the domains do not list still selects the host's own virtual host, never the catch-all.
    assert.equal((await routed('api.example.com:9999', '/exact')).upstream, 'a');
    assert.equal((await routed('www.example.com', '/')).upstream, 'b');
    assert.equal((await routed('x.deep.example.com', '/')).upstream, 'd');
    assert.equal((await routed('internal.corp', '/')).upstream, 'c');
    assert.equal((await routed('other.org', '/ok')).upstream, 'a');
  });

  it('matches exact paths, case-insensitive prefixes, regexes and path-separated prefixes', async () => {
    assert.equal((await routed('api.example.com', '/exact')).info.routeName, 'exact-path');
    assert.equal((await routed('api.example.com', '/exact/more')).info.routeName, 'fallback');
    assert.equal((await routed('api.example.com', '/ci/thing')).upstream, 'b');
    assert.equal((await routed('api.example.com', '/items/42')).upstream, 'c');
    assert.equal((await routed('api.example.com', '/items/42x')).info.routeName, 'fallback');
    assert.equal((await routed('api.example.com', '/items/7?q=1')).upstream, 'c');
    assert.equal((await routed('api.example.com', '/sep')).upstream, 'd');
    assert.equal((await routed('api.example.com', '/sep/x')).upstream, 'd');
    assert.equal((await routed('api.example.com', '/separate')).info.routeName, 'fallback');
  });

  it('matches headers value by value, with ignore_case, presence inversion, regex and range', async () => {
    assert.equal((await routed('api.example.com', '/h', { 'x-version': 'v2' })).info.routeName, 'header');
    assert.equal(
      (await routed('api.example.com', '/h', { 'x-version': ['v1', 'v2'] })).info.routeName,
      'header',
    );
    assert.equal(
      (await routed('api.example.com', '/h', { 'x-version': 'v1, v2' })).info.routeName,
      'fallback',
    );
    assert.equal(
      (await routed('api.example.com', '/h', { 'x-version': 'v2', 'x-absent': '1' })).info.routeName,
      'fallback',
    );
    assert.equal(
      (await routed('api.example.com', '/r', { 'x-id': 'u-abc', 'x-n': '15' })).info.routeName,
      'header-regex-range',
    );
    assert.equal(
      (await routed('api.example.com', '/r', { 'x-id': 'u-abc', 'x-n': '20' })).info.routeName,
      'fallback',
    );
    assert.equal(
      (await routed('api.example.com', '/r', { 'x-id': 'xu-abc', 'x-n': '15' })).info.routeName,
      'fallback',
    );
  });

  it('matches query parameters by presence and string match', async () => {
    assert.equal((await routed('api.example.com', '/q?debug&user=admin')).info.routeName, 'query');
    assert.equal((await routed('api.example.com', '/q?user=admin')).info.routeName, 'fallback');
    assert.equal(
      (await routed('api.example.com', '/q?debug=1&user=bob&user=adm%69n')).info.routeName,
      'query',
    );
  });

  it('answers 404 with NR when no route matches', async () => {
    const result = await routed('other.org', '/missing');
    assert.equal(result.status, 404);
    assert.deepEqual(result.info.flags, ['NR']);
    assert.equal(proxy.stats.value('http.test.no_route'), 1);
  });
});
