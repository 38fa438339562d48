// Cluster stats named like Envoy's: request totals, per-code and per-class counters, active gauges,
// connection counters, membership gauges, and the alt_stat_name prefix.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import { assignment, ports, staticCluster } from './helpers/config.ts';
import { applyClusters, harness, view } from './helpers/harness.ts';
import { send } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

describe('cluster stats', { timeout: 10_000 }, () => {
  let upstream: TestUpstream;
  before(async () => {
    upstream = await startHttpUpstream('u', (req, res) => {
      req.resume();
      res.statusCode = Number(req.url?.slice(1)) || 200;
      res.end();
    });
  });
  after(() => closeAll([upstream]));

  it('counts requests by code and class, and connections', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [upstream.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      for (const code of [200, 200, 204, 404, 503, 500]) await send(svc, host, { path: `/${code}` });
      const s = (name: string): number => stats.cluster('svc', name);
      assert.equal(s('upstream_rq_total'), 6);
      assert.equal(s('upstream_rq_completed'), 6);
      assert.equal(s('upstream_rq_200'), 2);
      assert.equal(s('upstream_rq_204'), 1);
      assert.equal(s('upstream_rq_2xx'), 3);
      assert.equal(s('upstream_rq_404'), 1);
      assert.equal(s('upstream_rq_4xx'), 1);
      assert.equal(s('upstream_rq_5xx'), 2);
      assert.equal(s('upstream_rq_503'), 1);
      assert.equal(s('upstream_rq_active'), 0);
      assert.equal(s('upstream_cx_total'), 1);
      assert.equal(s('upstream_cx_active'), 1);
      assert.equal(s('upstream_cx_http1_total'), 1);
      assert.equal(manager.describe()[0]?.hosts[0]?.rqError, 2);
    } finally {
      manager.close();
    }
  });

  it('reports membership and uses alt_stat_name as the prefix when set', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster(
          'outbound|80||svc.ns.svc.cluster.local',
          assignment('x', [
            {
              endpoints: [
                { port: 1 },
                { port: 2, health: HealthStatus.UNHEALTHY },
                { port: 3, health: HealthStatus.DEGRADED },
              ],
            },
          ]),
          { altStatName: 'svc_80' },
        ),
      ]);
      assert.equal(stats.cluster('svc_80', 'membership_total'), 3);
      assert.equal(stats.cluster('svc_80', 'membership_healthy'), 1);
      assert.equal(stats.cluster('svc_80', 'membership_degraded'), 1);
      assert.equal(stats.values.get('cluster_manager.active_clusters'), 1);
    } finally {
      manager.close();
    }
  });
});
