// STATIC clusters: inline endpoints become hosts at once, requests reach them over HTTP/1.1 through the pool,
// and describe() reports each host as the admin /clusters page needs it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ports, staticCluster } from './helpers/config.ts';
import { applyClusters, harness, view } from './helpers/harness.ts';
import { send, sendVia } from './helpers/send.ts';
import { closeAll, startHttpUpstreams, type TestUpstream } from './helpers/upstreams.ts';

describe('STATIC cluster', { timeout: 10_000 }, () => {
  let upstreams: TestUpstream[];
  before(async () => {
    upstreams = await startHttpUpstreams(2, (req, res, upstream) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.setHeader('x-upstream', upstream.name);
        res.setHeader('x-seen-host', req.headers.host ?? '');
        res.setHeader('x-seen-connection', req.headers.connection ?? '');
        res.setHeader('x-seen-custom', req.headers['x-custom'] ?? '');
        res.end(`${req.method} ${req.url} ${body}`);
      });
    });
  });
  after(() => closeAll(upstreams));

  it('routes to its inline endpoints and forwards method, path, authority, headers and body', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster(
          'web',
          ports(
            'web',
            upstreams.map((u) => u.port),
          ),
        ),
      ]);
      const cluster = view(manager, 'web');
      const host = cluster.selectHost({});
      assert.ok(host);
      const response = await send(cluster, host, {
        method: 'POST',
        path: '/items?x=1',
        authority: 'shop.example:8080',
        headers: {
          'x-custom': ['a', 'b'],
          connection: 'keep-alive, x-custom',
          'transfer-encoding': 'chunked',
        },
        body: new TextEncoder().encode('payload'),
      });
      assert.equal(response.status, 200);
      assert.equal(response.body, 'POST /items?x=1 payload');
      assert.equal(response.headers['x-seen-host'], 'shop.example:8080');
      assert.equal(response.headers['x-seen-custom'], 'a, b');
      // Hop-by-hop headers of the downstream connection never reach the upstream.
      assert.notEqual(response.headers['x-seen-connection'], 'keep-alive, x-custom');
      assert.equal(stats.cluster('web', 'membership_total'), 2);
      assert.equal(stats.cluster('web', 'membership_healthy'), 2);
    } finally {
      manager.close();
    }
  });

  it('describes every host with address, health flags, weight, locality and counters', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        staticCluster(
          'web',
          ports(
            'web',
            upstreams.map((u) => u.port),
          ),
        ),
      ]);
      const cluster = view(manager, 'web');
      await sendVia(cluster);
      await sendVia(cluster);
      const [description] = manager.describe();
      assert.ok(description);
      assert.equal(description.name, 'web');
      assert.equal(description.type, 'STATIC');
      assert.equal(description.lbPolicy, 'ROUND_ROBIN');
      assert.deepEqual(
        description.hosts.map((h) => h.address).sort(),
        upstreams.map((u) => `127.0.0.1:${u.port}`).sort(),
      );
      for (const host of description.hosts) {
        assert.equal(host.healthFlags, 'healthy');
        assert.equal(host.health.healthy, true);
        assert.equal(host.weight, 1);
        assert.deepEqual(host.locality, { region: '', zone: '', subZone: '' });
        assert.equal(host.rqActive, 0);
        assert.equal(host.rqTotal, 1);
        assert.equal(host.cxActive, 1);
        assert.equal(host.outlier.ejected, false);
      }
    } finally {
      manager.close();
    }
  });

  it('an empty STATIC cluster (BlackHoleCluster) has no host', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('BlackHoleCluster', ports('BlackHoleCluster', []))]);
      assert.equal(view(manager, 'BlackHoleCluster').selectHost({}), undefined);
      assert.equal(stats.cluster('BlackHoleCluster', 'upstream_cx_none_healthy'), 1);
    } finally {
      manager.close();
    }
  });
});
