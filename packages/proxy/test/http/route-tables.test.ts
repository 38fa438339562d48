// RDS: RouteTables compiles a whole update before committing it, names the route configuration, virtual
// host, route and field of anything it refuses, and keeps the last good tables; the connection manager
// refuses unknown filters unless optional.
import { create } from '@bufbuild/protobuf';
import { packAny, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import {
  RouteConfigurationSchema,
  type RouteConfiguration,
} from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import { HttpConnectionManagerSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { ClusterSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { isPrepareError } from '../../src/config/resource-handler.ts';
import { createHttpConnectionManager } from '../../src/http/connection-manager.ts';
import { RouteTables } from '../../src/http/route-tables.ts';
import {
  defaultFilters,
  startProxy,
  type ProxyHarness,
  type RouteConfigInit,
  type RouteInit,
} from './helpers/harness.ts';
import { MemoryStats } from './helpers/memory-stats.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

function config(init: RouteConfigInit): RouteConfiguration {
  return create(RouteConfigurationSchema, init);
}

function table(name: string, routes: RouteInit[]): RouteConfiguration {
  return config({ name, virtualHosts: [{ name: 'vh', domains: ['*'], routes }] });
}

const forward = (cluster: string) => ({
  case: 'route' as const,
  value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
});

function prepareError(tables: RouteTables, resources: RouteConfiguration[]): string {
  const result = tables.handler.prepare(new Map(resources.map((r) => [r.name, r])));
  assert.ok(isPrepareError(result), 'expected an error');
  return result.error;
}

describe('route tables (RDS)', () => {
  it('registers for RouteConfiguration', () => {
    assert.equal(new RouteTables().handler.typeUrl, ROUTE_CONFIGURATION_TYPE_URL);
  });

  it('refuses unsupported fields naming the configuration, virtual host, route and field', () => {
    const tables = new RouteTables();
    const error = prepareError(tables, [
      table('80', [
        {
          name: 'hedged',
          match: { pathSpecifier: { case: 'prefix', value: '/' } },
          action: {
            case: 'route',
            value: { clusterSpecifier: { case: 'cluster', value: 'a' }, hedgePolicy: {} },
          },
        },
      ]),
    ]);
    assert.equal(
      error,
      'route configuration 80, virtual host vh, route hedged: field route.hedge_policy is not supported',
    );
    const vhError = prepareError(tables, [
      config({ name: '81', virtualHosts: [{ name: 'limited', domains: ['*'], rateLimits: [{}] }] }),
    ]);
    assert.equal(vhError, 'route configuration 81, virtual host limited: field rate_limits is not supported');
  });

  it('refuses regexes that RE2 would not accept or that could backtrack catastrophically', () => {
    const tables = new RouteTables();
    for (const regex of ['(a+)+$', '(?=x)y', '(a)\\1', 'x'.repeat(2000), '[']) {
      const error = prepareError(tables, [
        table('r', [
          {
            name: 'bad',
            match: { pathSpecifier: { case: 'safeRegex', value: { regex } } },
            action: forward('a'),
          },
        ]),
      ]);
      assert.match(error, /route bad: match: /);
    }
  });

  it('refuses per-filter configs no filter understands, unless optional', () => {
    const tables = new RouteTables();
    const unknown = packAny(ClusterSchema, { name: 'x' });
    const error = prepareError(tables, [
      table('p', [
        {
          name: 'r',
          match: { pathSpecifier: { case: 'prefix', value: '/' } },
          typedPerFilterConfig: { 'acme.filter': unknown },
          action: forward('a'),
        },
      ]),
    ]);
    assert.match(
      error,
      /typed_per_filter_config acme\.filter: no filter supports type\.googleapis\.com\/envoy\.config\.cluster\.v3\.Cluster/,
    );
  });

  it('refuses duplicate domains across virtual hosts', () => {
    const error = prepareError(new RouteTables(), [
      config({
        name: 'd',
        virtualHosts: [
          { name: 'a', domains: ['x.com'] },
          { name: 'b', domains: ['X.com'] },
        ],
      }),
    ]);
    assert.match(error, /domain X\.com appears in more than one virtual host/);
  });

  it('keeps the previous tables until commit and after a refused update', () => {
    const tables = new RouteTables();
    const first = tables.handler.prepare(new Map([['a', table('a', [])]]));
    assert.ok(!isPrepareError(first));
    assert.equal(tables.routeTable('a'), undefined);
    first.commit();
    const kept = tables.routeTable('a');
    assert.ok(kept);
    prepareError(tables, [table('a', [{ name: 'x', match: {}, action: forward('a') }])]);
    assert.equal(tables.routeTable('a'), kept);
  });
});

describe('connection manager config', () => {
  const deps = () => ({ routes: new RouteTables(), clusters: new TestClusters(), stats: new MemoryStats() });
  const hcm = (filters: ReturnType<typeof defaultFilters>) =>
    create(HttpConnectionManagerSchema, {
      statPrefix: 's',
      routeSpecifier: { case: 'rds', value: { routeConfigName: 'x' } },
      httpFilters: filters,
    });

  it('refuses an unknown filter, skips an optional one, and requires the router last', () => {
    const unknown = {
      name: 'acme.auth',
      configType: { case: 'typedConfig' as const, value: packAny(ClusterSchema, {}) },
    };
    const refused = createHttpConnectionManager(hcm([unknown, ...(defaultFilters() ?? [])]), deps());
    assert.ok('error' in refused && refused.error.includes('http_filters[0] acme.auth: unknown filter'));
    const optional = createHttpConnectionManager(
      hcm([{ ...unknown, isOptional: true }, ...(defaultFilters() ?? [])]),
      deps(),
    );
    assert.ok(!('error' in optional));
    optional.close();
    const noRouter = createHttpConnectionManager(hcm((defaultFilters() ?? []).slice(0, 2)), deps());
    assert.ok('error' in noRouter && noRouter.error.includes('terminal'));
    const routerFirst = createHttpConnectionManager(
      hcm([
        {
          name: 'envoy.filters.http.router',
          configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
        },
        ...(defaultFilters() ?? []),
      ]),
      deps(),
    );
    assert.ok('error' in routerFirst);
  });
});

describe('RDS-driven routing', { timeout: 20_000 }, () => {
  let a: Upstream;
  let b: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;

  before(async () => {
    a = await startHttp1Upstream('a');
    b = await startHttp1Upstream('b');
    clusters = new TestClusters();
    clusters.add('a', { ports: [a.port] });
    clusters.add('b', { ports: [b.port] });
    const routes = new RouteTables();
    proxy = await startProxy(
      create(HttpConnectionManagerSchema, {
        statPrefix: 'test',
        routeSpecifier: { case: 'rds', value: { routeConfigName: '8080' } },
        httpFilters: defaultFilters(),
      }),
      clusters,
      { routes },
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await a?.close();
    await b?.close();
  });

  async function upstreamOf(): Promise<string> {
    const res = await request(`${proxy.url}/`);
    await res.body.text();
    return res.statusCode === 200
      ? res.headers['x-upstream'] === String(a.port)
        ? 'a'
        : 'b'
      : String(res.statusCode);
  }

  it('answers 404 until the route configuration arrives, then follows each committed update', async () => {
    assert.equal(await upstreamOf(), '404');
    const apply = (cluster: string) => {
      const result = proxy.routes.handler.prepare(
        new Map([
          [
            '8080',
            table('8080', [
              {
                name: 'all',
                match: { pathSpecifier: { case: 'prefix', value: '/' } },
                action: forward(cluster),
              },
            ]),
          ],
        ]),
      );
      assert.ok(!isPrepareError(result));
      result.commit();
    };
    apply('a');
    assert.equal(await upstreamOf(), 'a');
    apply('b');
    assert.equal(await upstreamOf(), 'b');
  });

  it('answers 503 NC for a cluster that does not exist', async () => {
    const result = proxy.routes.handler.prepare(
      new Map([
        [
          '8080',
          table('8080', [
            {
              name: 'all',
              match: { pathSpecifier: { case: 'prefix', value: '/' } },
              action: forward('missing'),
            },
          ]),
        ],
      ]),
    );
    assert.ok(!isPrepareError(result));
    result.commit();
    const done = proxy.nextStream();
    assert.equal(await upstreamOf(), '503');
    assert.deepEqual([...(await done).responseFlags], ['NC']);
  });
});
