// RING_HASH: stable per key, evenly spread, weight-proportional, and little remapping when a host leaves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { consistentHashCases } from './helpers/consistent-hash-cases.ts';
import { edsCluster, ports } from './helpers/config.ts';
import { applyAssignments, applyClusters, harness, view } from './helpers/harness.ts';

describe('RING_HASH', { timeout: 20_000 }, () => {
  consistentHashCases(
    Cluster_LbPolicy.RING_HASH,
    { lbConfig: { case: 'ringHashLbConfig', value: { minimumRingSize: 1024n } } },
    0.2,
  );

  it('picks at random when the request carries no hash', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.RING_HASH })]);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003])]);
      const cluster = view(manager, 'svc');
      const seen = new Set(Array.from({ length: 100 }, () => cluster.selectHost({})?.id));
      assert.equal(seen.size, 3);
    } finally {
      manager.close();
    }
  });
});
