// Priorities and localities: load stays on priority 0 while its availability × 1.4 covers it, spills to the
// next priority in proportion otherwise; with locality-weighted balancing, localities share by weight ×
// availability.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import { ClusterLoadAssignment_PolicySchema } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import { assignment, edsCluster, type EndpointInit } from './helpers/config.ts';
import { applyAssignments, applyClusters, harness, pickCounts, view } from './helpers/harness.ts';

const up = (port: number): EndpointInit => ({ port });
const down = (port: number): EndpointInit => ({ port, health: HealthStatus.UNHEALTHY });

function share(counts: Map<string, number>, ports: readonly number[], total: number): number {
  return ports.reduce((sum, p) => sum + (counts.get(`127.0.0.1:${p}`) ?? 0), 0) / total;
}

describe('priorities', { timeout: 10_000 }, () => {
  it('keeps all traffic on priority 0 while it is healthy enough (3 of 4 up × 1.4 ≥ 100%)', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [
        assignment('svc', [
          { priority: 0, endpoints: [up(1001), up(1002), up(1003), down(1004)] },
          { priority: 1, endpoints: [up(2001), up(2002)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 1000);
      assert.equal(share(counts, [2001, 2002], 1000), 0);
    } finally {
      manager.close();
    }
  });

  it('spills the uncovered share to priority 1 (2 of 4 up → 70% / 30%)', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [
        assignment('svc', [
          { priority: 0, endpoints: [up(1001), up(1002), down(1003), down(1004)] },
          { priority: 1, endpoints: [up(2001), up(2002)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 4000);
      const p1 = share(counts, [2001, 2002], 4000);
      assert.ok(p1 > 0.26 && p1 < 0.34, `priority 1 share ${p1}`);
      assert.equal(share(counts, [1003, 1004], 4000), 0);
    } finally {
      manager.close();
    }
  });

  it('sends everything to priority 1 when priority 0 has no healthy host', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [
        assignment('svc', [
          { priority: 0, endpoints: [down(1001), down(1002)] },
          { priority: 1, endpoints: [up(2001)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 100);
      assert.equal(counts.get('127.0.0.1:2001'), 100);
    } finally {
      manager.close();
    }
  });

  it('honours the assignment overprovisioning_factor', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      const load = assignment('svc', [
        { priority: 0, endpoints: [up(1001), down(1002)] },
        { priority: 1, endpoints: [up(2001)] },
      ]);
      load.policy = create(ClusterLoadAssignment_PolicySchema, { overprovisioningFactor: 200 });
      applyAssignments(manager, [load]);
      // 1 of 2 up × 2.0 = 100%: nothing spills.
      const counts = pickCounts(view(manager, 'svc'), 500);
      assert.equal(counts.get('127.0.0.1:1001'), 500);
    } finally {
      manager.close();
    }
  });
});

describe('locality-weighted balancing', { timeout: 10_000 }, () => {
  const localityWeighted = {
    commonLbConfig: { localityConfigSpecifier: { case: 'localityWeightedLbConfig' as const, value: {} } },
  };

  it('shares picks between localities by their weights', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', localityWeighted)]);
      applyAssignments(manager, [
        assignment('svc', [
          { locality: { zone: 'a' }, weight: 1, endpoints: [up(1001), up(1002)] },
          { locality: { zone: 'b' }, weight: 3, endpoints: [up(2001), up(2002)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 4000);
      assert.equal(share(counts, [1001, 1002], 4000), 0.25);
      assert.equal(share(counts, [2001, 2002], 4000), 0.75);
    } finally {
      manager.close();
    }
  });

  it('scales a locality down by its availability (1 of 2 up × 1.4 = 70% of its weight)', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', localityWeighted)]);
      applyAssignments(manager, [
        assignment('svc', [
          { locality: { zone: 'a' }, weight: 1, endpoints: [up(1001), up(1002)] },
          { locality: { zone: 'b' }, weight: 3, endpoints: [up(2001), down(2002)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 3100);
      // a: 1, b: 3 × 0.7 = 2.1 → b gets 2.1 / 3.1.
      const b = share(counts, [2001], 3100);
      assert.ok(Math.abs(b - 2.1 / 3.1) < 0.01, `b share ${b}`);
    } finally {
      manager.close();
    }
  });

  it('gives a locality without a weight no traffic', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', localityWeighted)]);
      applyAssignments(manager, [
        assignment('svc', [
          { locality: { zone: 'a' }, weight: 1, endpoints: [up(1001)] },
          { locality: { zone: 'b' }, endpoints: [up(2001)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 100);
      assert.equal(counts.get('127.0.0.1:1001'), 100);
    } finally {
      manager.close();
    }
  });

  it('ignores locality weights when locality-weighted balancing is off', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [
        assignment('svc', [
          { locality: { zone: 'a' }, weight: 1, endpoints: [up(1001)] },
          { locality: { zone: 'b' }, weight: 9, endpoints: [up(2001)] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 100);
      assert.equal(counts.get('127.0.0.1:1001'), 50);
    } finally {
      manager.close();
    }
  });
});
