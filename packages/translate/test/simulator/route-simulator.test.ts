// The simulator itself: Envoy's virtual host precedence and route matching on hand-written configurations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { RouteConfigurationSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { simulateRoute } from './route-simulator.ts';

const toCluster = (
  name: string,
  cluster: string,
  match: object = { pathSpecifier: { case: 'prefix', value: '/' } },
) => ({
  name,
  match,
  action: {
    case: 'route' as const,
    value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
  },
});

const config = create(RouteConfigurationSchema, {
  name: 'test',
  virtualHosts: [
    { name: 'any', domains: ['*'], routes: [toCluster('any', 'any')] },
    { name: 'exact', domains: ['api.example.com'], routes: [toCluster('exact', 'exact')] },
    { name: 'suffix', domains: ['*.example.com'], routes: [toCluster('suffix', 'suffix')] },
    {
      name: 'longer-suffix',
      domains: ['*.eu.example.com'],
      routes: [toCluster('longer-suffix', 'longer-suffix')],
    },
    { name: 'prefix', domains: ['api.*'], routes: [toCluster('prefix', 'prefix')] },
    {
      name: 'paths',
      domains: ['paths.test'],
      routes: [
        toCluster('exact-path', 'exact-path', { pathSpecifier: { case: 'path', value: '/a' } }),
        toCluster('regex', 'regex', { pathSpecifier: { case: 'safeRegex', value: { regex: '/r/[0-9]+' } } }),
        toCluster('insensitive', 'insensitive', {
          pathSpecifier: { case: 'prefix', value: '/ci' },
          caseSensitive: false,
        }),
        toCluster('absent', 'absent', {
          pathSpecifier: { case: 'prefix', value: '/h' },
          headers: [
            { name: 'x-a', headerMatchSpecifier: { case: 'presentMatch', value: true }, invertMatch: true },
          ],
        }),
      ],
    },
  ],
});

const clusterFor = (
  authority: string,
  path = '/',
  headers: Record<string, string> = {},
): string | undefined => simulateRoute([config], { routeConfig: 'test', authority, path, headers }).cluster;

describe('route simulator', () => {
  it('prefers an exact domain, then the longest suffix wildcard, then prefix wildcards, then *', () => {
    assert.equal(clusterFor('api.example.com'), 'exact');
    assert.equal(clusterFor('API.Example.com'), 'exact');
    assert.equal(clusterFor('shop.eu.example.com'), 'longer-suffix');
    assert.equal(clusterFor('shop.example.com'), 'suffix');
    assert.equal(clusterFor('api.other.org'), 'prefix');
    assert.equal(clusterFor('elsewhere.org'), 'any');
  });

  it('compares the whole Host, port included', () => {
    assert.equal(clusterFor('api.example.com:8080'), 'prefix');
  });

  it('does not let a suffix wildcard match the bare suffix', () => {
    assert.equal(clusterFor('.example.com'), 'any');
  });

  it('takes the first matching route: exact path, full-match regex, case-insensitive prefix, inverted presence', () => {
    assert.equal(clusterFor('paths.test', '/a'), 'exact-path');
    assert.equal(clusterFor('paths.test', '/a/b'), undefined);
    assert.equal(clusterFor('paths.test', '/r/12'), 'regex');
    assert.equal(clusterFor('paths.test', '/r/12x'), undefined);
    assert.equal(clusterFor('paths.test', '/CI/x'), 'insensitive');
    assert.equal(clusterFor('paths.test', '/h'), 'absent');
    assert.equal(clusterFor('paths.test', '/h', { 'x-a': '1' }), undefined);
  });

  it('reports no route when nothing matches', () => {
    assert.deepEqual(
      simulateRoute([config], { routeConfig: 'test', authority: 'paths.test', path: '/zzz' }),
      {
        virtualHost: 'paths',
        noRoute: true,
      },
    );
  });
});
