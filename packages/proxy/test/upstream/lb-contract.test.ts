// The contract every LB policy keeps (one suite, run for each): only available hosts are picked, a retry
// avoids hosts already tried when others exist, and no host is returned when none can be.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import { assignment, edsCluster, ports } from './helpers/config.ts';
import { applyAssignments, applyClusters, harness, pickCounts, view } from './helpers/harness.ts';

const POLICIES = [
  ['ROUND_ROBIN', Cluster_LbPolicy.ROUND_ROBIN],
  ['LEAST_REQUEST', Cluster_LbPolicy.LEAST_REQUEST],
  ['RANDOM', Cluster_LbPolicy.RANDOM],
  ['RING_HASH', Cluster_LbPolicy.RING_HASH],
  ['MAGLEV', Cluster_LbPolicy.MAGLEV],
] as const;

for (const [name, policy] of POLICIES) {
  describe(`LB contract: ${name}`, { timeout: 10_000 }, () => {
    it('picks only hosts EDS reports healthy (UNKNOWN counts as healthy)', () => {
      const { manager } = harness();
      try {
        applyClusters(manager, [edsCluster('svc', { lbPolicy: policy })]);
        applyAssignments(manager, [
          assignment('svc', [
            {
              endpoints: [
                { port: 1001 },
                { port: 1002, health: HealthStatus.UNHEALTHY },
                { port: 1003, health: HealthStatus.UNKNOWN },
                { port: 1004, health: HealthStatus.DRAINING },
                { port: 1005 },
                { port: 1006 },
              ],
            },
          ]),
        ]);
        const counts = pickCounts(view(manager, 'svc'), 300, (i) => `key-${i}`);
        assert.deepEqual([...counts.keys()].sort(), [
          '127.0.0.1:1001',
          '127.0.0.1:1003',
          '127.0.0.1:1005',
          '127.0.0.1:1006',
        ]);
      } finally {
        manager.close();
      }
    });

    it('avoids hosts a retry already tried when others exist', () => {
      const { manager } = harness();
      try {
        applyClusters(manager, [edsCluster('svc', { lbPolicy: policy })]);
        applyAssignments(manager, [ports('svc', [1001, 1002, 1003])]);
        const cluster = view(manager, 'svc');
        for (let i = 0; i < 50; i++) {
          const first = cluster.selectHost({ hashKey: `k${i}` });
          assert.ok(first);
          const second = cluster.selectHost({ hashKey: `k${i}`, exclude: new Set([first.id]) });
          assert.ok(second);
          assert.notEqual(second.id, first.id);
        }
      } finally {
        manager.close();
      }
    });

    it('returns no host when the cluster has none', () => {
      const { manager, stats } = harness();
      try {
        applyClusters(manager, [edsCluster('svc', { lbPolicy: policy })]);
        assert.equal(view(manager, 'svc').selectHost({ hashKey: 'x' }), undefined);
        applyAssignments(manager, [ports('svc', [])]);
        assert.equal(view(manager, 'svc').selectHost({ hashKey: 'x' }), undefined);
        assert.equal(stats.cluster('svc', 'upstream_cx_none_healthy'), 2);
      } finally {
        manager.close();
      }
    });
  });
}
