import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProxyRows, countByStatus, overallStatus, proxyName } from '../../../src/app/lib/proxy-rows.ts';
import { SYNCZ } from '../../support/fixtures.ts';

describe('proxy-status rows', () => {
  it('names proxies as istioctl does, from the node id', () => {
    assert.equal(proxyName('sidecar~127.0.0.1~product-v1.shop~shop.svc.cluster.local'), 'product-v1.shop');
    assert.equal(proxyName('not-an-istio-id'), 'not-an-istio-id');
  });

  it('has one cell per xDS type and carries the NACK message', () => {
    const rows = buildProxyRows(SYNCZ);
    assert.deepEqual(
      rows.map((row) => [row.name, row.cells.LDS.status, row.overall]),
      [
        ['frontend.shop', 'SYNCED', 'SYNCED'],
        ['product-v1.shop', 'SYNCED', 'SYNCED'],
        ['product-v2.shop', 'NACKED', 'NACKED'],
      ],
    );
    assert.equal(rows[2]?.cells.LDS.error, 'listener 0.0.0.0_9080: unknown filter');
    assert.deepEqual(countByStatus(rows), { SYNCED: 2, STALE: 0, NACKED: 1, 'NOT SENT': 0 });
  });

  it('judges a proxy by its worst type, ignoring types never sent', () => {
    assert.equal(overallStatus(['SYNCED', 'NOT SENT']), 'SYNCED');
    assert.equal(overallStatus(['SYNCED', 'STALE']), 'STALE');
    assert.equal(overallStatus(['STALE', 'NACKED']), 'NACKED');
    assert.equal(overallStatus([]), 'NOT SENT');
  });
});
