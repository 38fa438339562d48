import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ROUTE, parseRoute, routeHash, type Route } from '../../../src/app/lib/route.ts';

describe('dashboard routes in the URL hash', () => {
  it('round-trips every view and the detail pages', () => {
    const routes: Route[] = [
      { view: 'overview' },
      { view: 'graph' },
      { view: 'proxies' },
      { view: 'config' },
      { view: 'findings' },
      { view: 'traces' },
      { view: 'workload', namespace: 'shop', name: 'product-v2' },
      { view: 'service', namespace: 'shop', host: 'product.shop.svc.cluster.local' },
    ];
    for (const route of routes) assert.deepEqual(parseRoute(routeHash(route)), route);
  });

  it('escapes names that contain slashes', () => {
    const route: Route = { view: 'workload', namespace: 'a/b', name: 'c d' };
    assert.equal(routeHash(route), '#/workload/a%2Fb/c%20d');
    assert.deepEqual(parseRoute(routeHash(route)), route);
  });

  it('falls back to the overview for empty or unknown hashes', () => {
    assert.deepEqual(parseRoute(''), DEFAULT_ROUTE);
    assert.deepEqual(parseRoute('#/nope'), DEFAULT_ROUTE);
    assert.deepEqual(parseRoute('#/workload/only-namespace'), DEFAULT_ROUTE);
  });
});
