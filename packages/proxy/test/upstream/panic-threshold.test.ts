// healthy_panic_threshold: below it (default 50%) a priority routes to all its hosts, healthy or not, and
// counts lb_healthy_panic; at 0 panic is off and only healthy hosts (or none) are used.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import { assignment, edsCluster } from './helpers/config.ts';
import { applyAssignments, applyClusters, harness, pickCounts, view } from './helpers/harness.ts';

const oneOfFourHealthy = assignment('svc', [
  {
    endpoints: [
      { port: 1001 },
      { port: 1002, health: HealthStatus.UNHEALTHY },
      { port: 1003, health: HealthStatus.UNHEALTHY },
      { port: 1004, health: HealthStatus.UNHEALTHY },
    ],
  },
]);

describe('healthy panic threshold', { timeout: 10_000 }, () => {
  it('routes to every host once fewer than 50% are healthy (the default)', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [oneOfFourHealthy]);
      const counts = pickCounts(view(manager, 'svc'), 400);
      assert.equal(counts.size, 4);
      for (const count of counts.values()) assert.equal(count, 100);
      assert.equal(stats.cluster('svc', 'lb_healthy_panic'), 400);
    } finally {
      manager.close();
    }
  });

  it('stays out of panic at or above the threshold', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        edsCluster('svc', { commonLbConfig: { healthyPanicThreshold: { value: 25 } } }),
      ]);
      applyAssignments(manager, [oneOfFourHealthy]);
      const counts = pickCounts(view(manager, 'svc'), 100);
      assert.deepEqual([...counts.keys()], ['127.0.0.1:1001']);
      assert.equal(stats.cluster('svc', 'lb_healthy_panic'), 0);
    } finally {
      manager.close();
    }
  });

  it('with threshold 0, never panics: only healthy hosts, and no host when none is healthy', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        edsCluster('svc', { commonLbConfig: { healthyPanicThreshold: { value: 0 } } }),
      ]);
      applyAssignments(manager, [oneOfFourHealthy]);
      assert.deepEqual([...pickCounts(view(manager, 'svc'), 50).keys()], ['127.0.0.1:1001']);
      applyAssignments(manager, [
        assignment('svc', [{ endpoints: [{ port: 1001, health: HealthStatus.UNHEALTHY }] }]),
      ]);
      assert.equal(view(manager, 'svc').selectHost({}), undefined);
    } finally {
      manager.close();
    }
  });

  it('routes to all hosts when none is healthy (default threshold)', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [
        assignment('svc', [
          {
            endpoints: [
              { port: 1001, health: HealthStatus.UNHEALTHY },
              { port: 1002, health: HealthStatus.UNHEALTHY },
            ],
          },
        ]),
      ]);
      assert.equal(pickCounts(view(manager, 'svc'), 10).size, 2);
    } finally {
      manager.close();
    }
  });

  it('does not panic a priority when lower priorities cover the load', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [
        assignment('svc', [
          {
            priority: 0,
            endpoints: [
              { port: 1001, health: HealthStatus.UNHEALTHY },
              { port: 1002, health: HealthStatus.UNHEALTHY },
            ],
          },
          { priority: 1, endpoints: [{ port: 2001 }, { port: 2002 }] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 100);
      assert.deepEqual([...counts.keys()].sort(), ['127.0.0.1:2001', '127.0.0.1:2002']);
      assert.equal(stats.cluster('svc', 'lb_healthy_panic'), 0);
    } finally {
      manager.close();
    }
  });
});
