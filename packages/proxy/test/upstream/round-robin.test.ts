// ROUND_ROBIN: equal weights rotate exactly; unequal weights share picks in proportion (EDF), interleaved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { assignment, edsCluster, ports } from './helpers/config.ts';
import { applyAssignments, applyClusters, harness, pickCounts, view } from './helpers/harness.ts';

describe('ROUND_ROBIN', { timeout: 10_000 }, () => {
  it('rotates through equal-weight hosts in a fixed order', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.ROUND_ROBIN })]);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003])]);
      const cluster = view(manager, 'svc');
      const picks = Array.from({ length: 9 }, () => cluster.selectHost({})?.id);
      const cycle = picks.slice(0, 3);
      assert.equal(new Set(cycle).size, 3);
      assert.deepEqual(picks, [...cycle, ...cycle, ...cycle]);
    } finally {
      manager.close();
    }
  });

  it('gives weighted hosts picks in proportion to their weights, exactly over a full cycle', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.ROUND_ROBIN })]);
      applyAssignments(manager, [
        assignment('svc', [
          {
            endpoints: [
              { port: 1001, weight: 1 },
              { port: 1002, weight: 2 },
              { port: 1003, weight: 3 },
            ],
          },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 600);
      assert.equal(counts.get('127.0.0.1:1001'), 100);
      assert.equal(counts.get('127.0.0.1:1002'), 200);
      assert.equal(counts.get('127.0.0.1:1003'), 300);
    } finally {
      manager.close();
    }
  });

  it('interleaves a heavy host with light ones instead of sending bursts', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.ROUND_ROBIN })]);
      applyAssignments(manager, [
        assignment('svc', [
          {
            endpoints: [
              { port: 1001, weight: 4 },
              { port: 1002, weight: 1 },
              { port: 1003, weight: 1 },
            ],
          },
        ]),
      ]);
      const cluster = view(manager, 'svc');
      const picks = Array.from({ length: 60 }, () => cluster.selectHost({})?.id);
      let run = 0;
      let longest = 0;
      for (let i = 0; i < picks.length; i++) {
        run = i > 0 && picks[i] === picks[i - 1] ? run + 1 : 1;
        longest = Math.max(longest, run);
      }
      assert.ok(longest <= 4, `longest run ${longest}`);
    } finally {
      manager.close();
    }
  });

  it('slow start: a host added later ramps up from min_weight_percent over the window', () => {
    const { manager, clock } = harness();
    try {
      applyClusters(manager, [
        edsCluster('svc', {
          lbPolicy: Cluster_LbPolicy.ROUND_ROBIN,
          lbConfig: {
            case: 'roundRobinLbConfig',
            value: {
              slowStartConfig: { slowStartWindow: { seconds: 60n }, minWeightPercent: { value: 10 } },
            },
          },
        }),
      ]);
      applyAssignments(manager, [ports('svc', [1001])]);
      applyAssignments(manager, [ports('svc', [1001, 1002])]);
      const fresh = pickCounts(view(manager, 'svc'), 1100).get('127.0.0.1:1002') ?? 0;
      assert.ok(fresh >= 90 && fresh <= 110, `new host got ${fresh} of 1100 at the start`);
      clock.advance(60_000);
      // Weights are read again as hosts are picked; after the window both hosts weigh the same.
      const counts = pickCounts(view(manager, 'svc'), 1000);
      assert.ok(
        Math.abs((counts.get('127.0.0.1:1002') ?? 0) - 500) <= 50,
        `after the window: ${counts.get('127.0.0.1:1002')}`,
      );
    } finally {
      manager.close();
    }
  });
});
