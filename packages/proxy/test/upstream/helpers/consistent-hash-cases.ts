// The behaviour both consistent-hash policies (RING_HASH, MAGLEV) must show, shared by their test files.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { assignment, edsCluster, type ClusterInit, ports } from './config.ts';
import { applyAssignments, applyClusters, harness, pickCounts, view } from './harness.ts';

const KEYS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

/**
 * `maxMovedShare`: how many keys of the remaining hosts may move when one of four leaves. A ring rescales
 * its points per host to keep minimum_ring_size (as Envoy's does), so some keys move between remaining
 * hosts; a modulo hash would move about three quarters of them.
 */
export function consistentHashCases(
  policy: Cluster_LbPolicy,
  extra: ClusterInit = {},
  maxMovedShare = 0.05,
): void {
  it('sends the same key to the same host every time', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: policy, ...extra })]);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003, 1004])]);
      const cluster = view(manager, 'svc');
      for (const key of KEYS.slice(0, 200)) {
        const first = cluster.selectHost({ hashKey: key })?.id;
        for (let i = 0; i < 3; i++) assert.equal(cluster.selectHost({ hashKey: key })?.id, first);
      }
    } finally {
      manager.close();
    }
  });

  it('spreads keys over the hosts', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: policy, ...extra })]);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003, 1004])]);
      const counts = pickCounts(view(manager, 'svc'), KEYS.length, (i) => KEYS[i] as string);
      assert.equal(counts.size, 4);
      for (const [id, count] of counts) assert.ok(count > 300 && count < 700, `${id}: ${count}`);
    } finally {
      manager.close();
    }
  });

  it('moves few keys besides those of a host that leaves, and all come back when it returns', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: policy, ...extra })]);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003, 1004])]);
      const cluster = view(manager, 'svc');
      const before = new Map(KEYS.map((k) => [k, cluster.selectHost({ hashKey: k })?.id]));
      applyAssignments(manager, [ports('svc', [1001, 1002, 1004])]);
      let moved = 0;
      for (const key of KEYS) {
        const now = cluster.selectHost({ hashKey: key })?.id;
        if (before.get(key) === '127.0.0.1:1003') {
          assert.notEqual(now, '127.0.0.1:1003');
          continue;
        }
        if (now !== before.get(key)) moved++;
      }
      assert.ok(moved <= KEYS.length * maxMovedShare, `${moved} keys of remaining hosts moved`);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003, 1004])]);
      for (const key of KEYS) assert.equal(cluster.selectHost({ hashKey: key })?.id, before.get(key));
    } finally {
      manager.close();
    }
  });

  it('gives a host with twice the weight about twice the keys', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: policy, ...extra })]);
      applyAssignments(manager, [
        assignment('svc', [{ endpoints: [{ port: 1001, weight: 2 }, { port: 1002 }] }]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), KEYS.length, (i) => KEYS[i] as string);
      const ratio = (counts.get('127.0.0.1:1001') ?? 0) / (counts.get('127.0.0.1:1002') ?? 1);
      assert.ok(ratio > 1.6 && ratio < 2.5, `ratio ${ratio}`);
    } finally {
      manager.close();
    }
  });
}
