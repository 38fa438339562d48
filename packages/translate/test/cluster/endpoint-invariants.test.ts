// Properties every CDS/EDS output keeps, checked across all golden cases: what Envoy and proxyless gRPC
// clients need to accept the resources at all.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { translateCase } from '@heddle/testkit';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import { CLUSTER_CASES, TESTDATA } from './golden.test.ts';

function checkAssignment(assignment: ClusterLoadAssignment): void {
  const seen = new Set<string>();
  const priorities = new Set<number>();
  for (const group of assignment.endpoints) {
    assert.ok(group.locality, `${assignment.clusterName}: every group has a locality`);
    assert.ok((group.loadBalancingWeight ?? 0) > 0, `${assignment.clusterName}: every locality has a weight`);
    const key = `${group.priority}|${group.locality.region}/${group.locality.zone}/${group.locality.subZone}`;
    assert.ok(!seen.has(key), `${assignment.clusterName}: (locality, priority) ${key} is unique`);
    seen.add(key);
    priorities.add(group.priority);
  }
  const sorted = [...priorities].sort((a, b) => a - b);
  assert.deepEqual(
    sorted,
    sorted.map((_, i) => i),
    `${assignment.clusterName}: priorities run 0..N without gaps`,
  );
}

describe('CDS/EDS invariants', () => {
  for (const name of CLUSTER_CASES) {
    it(name, () => {
      const output = translateCase(join(TESTDATA, name));
      const names = output.clusters.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, 'cluster names are unique');
      assert.ok(names.includes('BlackHoleCluster') && names.includes('PassthroughCluster'));
      const eds = output.clusters.filter(
        (c) =>
          c.clusterDiscoveryType.case === 'type' &&
          c.clusterDiscoveryType.value === Cluster_DiscoveryType.EDS,
      );
      assert.deepEqual(
        output.endpoints.map((e) => e.clusterName),
        eds.map((c) => c.name),
        'exactly one assignment per EDS cluster, named by the cluster',
      );
      for (const assignment of output.endpoints) checkAssignment(assignment);
      for (const cluster of output.clusters)
        if (cluster.loadAssignment) checkAssignment(cluster.loadAssignment);
    });
  }
});
