// Where requests go through the generated routes: the simulator picks virtual host and route as Envoy does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JsonObject } from '@bufbuild/protobuf';
import { translateCase } from '@heddle/testkit';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { HTTP_FILTERS } from '@heddle/xds';
import { simulateRoute, type SimulatedRequest } from '../simulator/route-simulator.ts';

const testdata = join(import.meta.dirname, '..', 'testdata');
const cache = new Map<string, RouteConfiguration[]>();

function routesOf(caseName: string): RouteConfiguration[] {
  let routes = cache.get(caseName);
  if (!routes) cache.set(caseName, (routes = translateCase(join(testdata, caseName)).routes));
  return routes;
}

function send(caseName: string, request: SimulatedRequest): ReturnType<typeof simulateRoute> {
  return simulateRoute(routesOf(caseName), request);
}

const reviews = (subset: string): string => `outbound|9080|${subset}|reviews.default.svc.cluster.local`;

describe('fault injection (seed 000-34)', () => {
  const request = { routeConfig: '80', authority: 'product-service', path: '/products/1' };

  it('delays end-user test-user on the fault rule', () => {
    const result = send('route-fault', { ...request, headers: { 'end-user': 'test-user' } });
    assert.equal(result.cluster, 'outbound|80|v1|product-service.ecommerce.svc.cluster.local');
    assert.ok(result.route?.typedPerFilterConfig[HTTP_FILTERS.FAULT], 'the route carries the fault');
  });

  it('sends everyone else to v1 without a fault', () => {
    const result = send('route-fault', { ...request, headers: { 'end-user': 'someone' } });
    assert.equal(result.cluster, 'outbound|80|v1|product-service.ecommerce.svc.cluster.local');
    assert.equal(result.route?.typedPerFilterConfig[HTTP_FILTERS.FAULT], undefined);
  });
});

describe('gateway routes for shop.example.com (seeds 000-27..000-29)', () => {
  const https = 'https.443.https.ecommerce-gateway.ecommerce';
  const shop = (path: string): SimulatedRequest => ({
    routeConfig: https,
    authority: 'shop.example.com',
    path,
    scheme: 'https',
  });

  it('sends /api/products to product-service although frontend owns /', () => {
    assert.equal(
      send('route-gateway-shop', shop('/api/products/42')).cluster,
      'outbound|80||product-service.ecommerce.svc.cluster.local',
    );
    assert.equal(
      send('route-gateway-shop', shop('/api/orders')).cluster,
      'outbound|80||order-service.ecommerce.svc.cluster.local',
    );
    assert.equal(
      send('route-gateway-shop', shop('/api/users/me')).cluster,
      'outbound|80||user-service.ecommerce.svc.cluster.local',
    );
  });

  it('sends everything else to the frontend', () => {
    assert.equal(
      send('route-gateway-shop', shop('/cart')).cluster,
      'outbound|80||frontend-service.ecommerce.svc.cluster.local',
    );
  });

  it('matches the host whatever port the client put in Host', () => {
    const result = send('route-gateway-shop', {
      ...shop('/api/products'),
      authority: 'shop.example.com:8443',
    });
    assert.equal(result.cluster, 'outbound|80||product-service.ecommerce.svc.cluster.local');
  });

  it('redirects plain HTTP to https (httpsRedirect)', () => {
    const result = send('route-gateway-shop', {
      routeConfig: 'http.80',
      authority: 'shop.example.com',
      path: '/',
    });
    assert.equal(result.redirect?.scheme, 'https');
  });

  it('finds no route for another host', () => {
    assert.equal(send('route-gateway-shop', { ...shop('/'), authority: 'evil.example.com' }).noRoute, true);
  });
});

describe('gateway for *.example.com (seeds 000-05, 000-06)', () => {
  it('routes web.example.com by path to the api-service subsets', () => {
    const request = {
      routeConfig: 'https.443.https.production-gateway.istio-system',
      authority: 'web.example.com',
      scheme: 'https',
    };
    assert.equal(
      send('route-gateway-production', { ...request, path: '/api/v1/items' }).cluster,
      'outbound|8080|v1|api-service.default.svc.cluster.local',
    );
    assert.equal(
      send('route-gateway-production', { ...request, path: '/api/v2/items' }).cluster,
      'outbound|8080|v2|api-service.default.svc.cluster.local',
    );
    assert.equal(send('route-gateway-production', { ...request, path: '/other' }).noRoute, true);
  });

  it('redirects any *.example.com host on port 80 to https, routed or not', () => {
    for (const authority of ['web.example.com', 'blog.example.com']) {
      assert.equal(
        send('route-gateway-production', { routeConfig: 'http.80', authority, path: '/' }).redirect?.scheme,
        'https',
      );
    }
  });
});

describe('canaries (seeds 000-08, 000-33)', () => {
  it('splits service-name 90/10 between stable and canary', () => {
    const result = send('route-canary', { routeConfig: '8080', authority: 'service-name:8080', path: '/' });
    assert.deepEqual(result.weightedClusters, [
      { name: 'outbound|8080|stable|service-name.default.svc.cluster.local', weight: 90 },
      { name: 'outbound|8080|canary|service-name.default.svc.cluster.local', weight: 10 },
    ]);
  });

  it('splits product-service 90/10 between v1 and v2', () => {
    const result = send('route-canary-product', {
      routeConfig: '80',
      authority: 'product-service.ecommerce',
      path: '/',
    });
    assert.deepEqual(
      result.weightedClusters?.map((c) => c.weight),
      [90, 10],
    );
  });
});

describe('timeouts and retries (seed 002-01)', () => {
  const request = { routeConfig: '8080', authority: 'api-service.production.svc.cluster.local:8080' };
  const v1 = 'outbound|8080|v1|api-service.production.svc.cluster.local';
  const v2 = 'outbound|8080|v2|api-service.production.svc.cluster.local';

  it('sends Chrome to v2', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';
    assert.equal(
      send('route-timeout-retries', { ...request, path: '/home', headers: { 'user-agent': ua } }).cluster,
      v2,
    );
  });

  it('splits /api/v1 90/10 before looking at the browser', () => {
    const result = send('route-timeout-retries', {
      ...request,
      path: '/api/v1/users',
      headers: { 'user-agent': 'Chrome' },
    });
    assert.deepEqual(
      result.weightedClusters?.map((c) => c.name),
      [v1, v2],
    );
  });

  it('sends other clients to v1 with a 30 s timeout and 3 attempts', () => {
    const result = send('route-timeout-retries', {
      ...request,
      path: '/home',
      headers: { 'user-agent': 'curl/8.0' },
    });
    assert.equal(result.cluster, v1);
    const action = result.route?.action;
    assert.equal(action?.case, 'route');
    if (action?.case !== 'route') return;
    assert.equal(action.value.timeout?.seconds, 30n);
    assert.equal(action.value.retryPolicy?.numRetries, 3);
  });

  it('answers to the short name from the same namespace', () => {
    assert.equal(
      send('route-timeout-retries', { ...request, authority: 'api-service:8080', path: '/' }).cluster,
      v1,
    );
  });
});

describe('outbound traffic policy', () => {
  it('passes unknown hosts through under ALLOW_ANY', () => {
    assert.equal(
      send('route-default-routes', { routeConfig: '9080', authority: 'unknown.internal:9080' }).cluster,
      'PassthroughCluster',
    );
  });

  it('answers unknown hosts with 502 under REGISTRY_ONLY (block_all)', () => {
    const result = send('route-registry-only', { routeConfig: '9080', authority: 'unknown.internal:9080' });
    assert.equal(result.virtualHost, 'block_all');
    assert.equal(result.directResponse?.status, 502);
  });

  it('still routes registry hosts under REGISTRY_ONLY', () => {
    const result = send('route-registry-only', { routeConfig: '9080', authority: 'reviews:9080' });
    assert.equal(result.cluster, 'outbound|9080||reviews.default.svc.cluster.local');
  });

  it('blocks services a Sidecar does not import', () => {
    assert.equal(
      send('route-sidecar-scope', { routeConfig: '9080', authority: 'ratings.other:9080' }).directResponse
        ?.status,
      502,
    );
    assert.equal(
      send('route-sidecar-scope', { routeConfig: '9080', authority: 'reviews:9080' }).cluster,
      'outbound|9080||reviews.default.svc.cluster.local',
    );
  });
});

describe('virtual host domains', () => {
  const routes = (authority: string): string | undefined =>
    send('route-default-routes', { routeConfig: '9080', authority }).cluster;

  it('answers to FQDN, short names and the cluster IP, with and without port', () => {
    for (const authority of [
      'reviews',
      'reviews:9080',
      'reviews.default',
      'reviews.default.svc:9080',
      'reviews.default.svc.cluster.local',
      '10.96.0.20:9080',
    ]) {
      assert.equal(routes(authority), 'outbound|9080||reviews.default.svc.cluster.local', authority);
    }
  });

  it('does not answer to the bare name of a service in another namespace', () => {
    assert.equal(routes('ratings'), 'PassthroughCluster');
    assert.equal(routes('ratings.other'), 'outbound|9080||ratings.other.svc.cluster.local');
  });

  it('uses host:port forms on the explicit HTTP proxy, bare names only for port 80', () => {
    const proxy = (authority: string): string | undefined =>
      send('route-explicit-http-proxy', { routeConfig: 'http_proxy', authority }).cluster;
    assert.equal(proxy('reviews:9080'), 'outbound|9080||reviews.default.svc.cluster.local');
    assert.equal(proxy('web'), 'outbound|80||web.default.svc.cluster.local');
    assert.equal(proxy('web:9090'), 'outbound|9090||web.default.svc.cluster.local');
    assert.equal(proxy('httpbin.org'), 'outbound|80||httpbin.org');
    assert.equal(proxy('reviews'), 'PassthroughCluster');
  });

  it('gives wildcard VirtualService hosts the services they cover, except those named exactly elsewhere', () => {
    const timeoutOf = (authority: string): bigint | undefined => {
      const action = send('route-wildcard-hosts', { routeConfig: '80', authority }).route?.action;
      return action?.case === 'route' ? action.value.timeout?.seconds : undefined;
    };
    assert.equal(timeoutOf('a.example.com'), 10n);
    assert.equal(timeoutOf('b.example.com'), 20n);
    assert.equal(
      send('route-wildcard-hosts', { routeConfig: '80', authority: 'api.partner.org' }).cluster,
      'outbound|80||a.example.com',
    );
  });
});

describe('request matching', () => {
  const request = { routeConfig: '9080', authority: 'reviews:9080' };

  it('matches URIs exactly, by prefix (case-insensitively when asked) and by regex', () => {
    assert.equal(send('route-uri-match', { ...request, path: '/health' }).cluster, reviews('v1'));
    assert.equal(send('route-uri-match', { ...request, path: '/API/V2/x' }).cluster, reviews('v2'));
    assert.equal(send('route-uri-match', { ...request, path: '/reviews/42' }).cluster, reviews('v3'));
    assert.equal(send('route-uri-match', { ...request, path: '/reviews/abc' }).cluster, reviews('v1'));
  });

  it('matches headers, their presence, and their absence', () => {
    const headers = (h: Record<string, string>): string | undefined =>
      send('route-header-match', { ...request, path: '/', headers: h }).cluster;
    assert.equal(headers({ 'end-user': 'jason' }), reviews('v2'));
    assert.equal(headers({ 'x-canary': 'yes-please' }), reviews('v2'));
    assert.equal(headers({ 'user-agent': 'Chrome', 'x-debug': '' }), reviews('v3'));
    assert.equal(headers({ 'user-agent': 'Chrome', 'x-debug': '1', 'x-skip-canary': '1' }), reviews('v1'));
    assert.equal(headers({ 'user-agent': 'Chrome', 'x-debug': '1', 'x-tier': 'free' }), reviews('v1'));
    assert.equal(headers({ 'user-agent': 'Chrome', 'x-debug': '1', 'x-tier': 'gold' }), reviews('v3'));
  });

  it('matches query parameters, method, scheme and authority', () => {
    assert.equal(
      send('route-request-match', { ...request, path: '/?version=2&debug=yes' }).cluster,
      reviews('v2'),
    );
    assert.equal(send('route-request-match', { ...request, path: '/?version=2' }).cluster, reviews('v1'));
    assert.equal(
      send('route-request-match', { ...request, authority: 'reviews.default:9080', method: 'POST' }).cluster,
      reviews('v3'),
    );
    assert.equal(send('route-request-match', { ...request, method: 'POST' }).cluster, reviews('v1'));
  });

  it('applies port matches only on their port', () => {
    assert.equal(
      send('route-port-match', { routeConfig: '9090', authority: 'reviews:9090', path: '/admin' }).cluster,
      'outbound|9090|v2|reviews.default.svc.cluster.local',
    );
    assert.equal(
      send('route-port-match', { routeConfig: '9080', authority: 'reviews:9080', path: '/admin' }).cluster,
      reviews('v1'),
    );
  });

  it('merges delegated rules under the delegating match', () => {
    const delegate = (path: string, headers: Record<string, string> = {}): string | undefined =>
      send('route-delegate', { ...request, path, headers }).routeName;
    assert.equal(delegate('/reviews/v2', { 'end-user': 'jason' }), 'team-v2');
    assert.equal(delegate('/reviews/v2'), 'team-rest');
    assert.equal(delegate('/ratings'), '');
  });

  it('matches JWT claims from the verified payload on gateways', () => {
    const api = (payload: JsonObject): string | undefined =>
      send('route-claim-match', {
        routeConfig: 'http.8080',
        authority: 'api.example.com',
        metadata: { 'envoy.filters.http.jwt_authn': { payload } },
      }).cluster;
    const cluster = (subset: string): string => `outbound|8000|${subset}|api.default.svc.cluster.local`;
    assert.equal(api({ groups: ['staff', 'beta-testers'] }), cluster('v2'));
    assert.equal(api({ groups: 'beta-testers' }), cluster('v2'));
    assert.equal(api({ org: { tier: 'gold' } }), cluster('v3'));
    assert.equal(api({ org: { tier: 'gold' }, 'kubernetes.io': { suspended: true } }), cluster('v1'));
    assert.equal(api({}), cluster('v1'));
  });
});
