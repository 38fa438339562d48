// RANDOM: picks are spread evenly over the available hosts (weights do not matter, as in Envoy).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { assignment, edsCluster } from './helpers/config.ts';
import { applyAssignments, applyClusters, harness, pickCounts, view } from './helpers/harness.ts';

describe('RANDOM', { timeout: 10_000 }, () => {
  it('spreads picks evenly and ignores host weights', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.RANDOM })]);
      applyAssignments(manager, [
        assignment('svc', [
          { endpoints: [{ port: 1001, weight: 10 }, { port: 1002 }, { port: 1003 }, { port: 1004 }] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 4000);
      assert.equal(counts.size, 4);
      for (const [id, count] of counts) assert.ok(count > 850 && count < 1150, `${id}: ${count}`);
    } finally {
      manager.close();
    }
  });
});
