// Outlier detection: N consecutive 5xx (or gateway failures, or our own connect failures) eject a host at
// once; it returns after base_ejection_time × ejections (clock injected); max_ejection_percent caps
// ejections but never blocks the first; a success resets the count.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type {
  OutlierDetection,
  OutlierDetectionSchema,
} from '@heddle/xds/gen/envoy/config/cluster/v3/outlier_detection_pb.ts';
import type { ClusterView, UpstreamHost } from '../../src/upstream/cluster-view.ts';
import { ports, staticCluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, pickCounts, sleep, view } from './helpers/harness.ts';
import { sendVia } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

type OutlierInit = Exclude<MessageInitShape<typeof OutlierDetectionSchema>, OutlierDetection>;

function outlierCluster(list: readonly number[], outlier: OutlierInit): Cluster {
  return staticCluster('svc', ports('svc', list), {
    outlierDetection: {
      interval: { nanos: 20_000_000 },
      baseEjectionTime: { seconds: 10n },
      maxEjectionPercent: 100,
      ...outlier,
    },
  });
}

function hostOn(cluster: ClusterView, port: number): UpstreamHost {
  for (let i = 0; i < 20; i++) {
    const host = cluster.selectHost({});
    if (host?.port === port) return host;
  }
  throw new Error(`no host on ${port}`);
}

describe('outlier detection', { timeout: 15_000 }, () => {
  let bad: TestUpstream;
  let good: TestUpstream[];
  before(async () => {
    bad = await startHttpUpstream('bad', (req, res) => {
      req.resume();
      res.statusCode = 500;
      res.end('boom');
    });
    good = await Promise.all([startHttpUpstream('good0'), startHttpUpstream('good1')]);
  });
  after(() => closeAll([bad, ...good]));

  it('ejects a host after consecutive_5xx real 5xx responses and returns it after base_ejection_time', async () => {
    const { manager, stats, clock } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([bad.port, good[0]!.port, good[1]!.port], { consecutive5xx: 3 }),
      ]);
      const cluster = view(manager, 'svc');
      let fives = 0;
      for (let i = 0; i < 9; i++) if ((await sendVia(cluster)).status === 500) fives++;
      assert.equal(fives, 3);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 1);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_enforced_total'), 1);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_detected_consecutive_5xx'), 1);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_enforced_consecutive_5xx'), 1);
      assert.equal(stats.cluster('svc', 'membership_healthy'), 2);
      const badId = `127.0.0.1:${bad.port}`;
      assert.equal(pickCounts(cluster, 100).get(badId), undefined);
      const described = manager.describe()[0]?.hosts.find((h) => h.address === badId);
      assert.equal(described?.healthFlags, '/failed_outlier_check');
      assert.equal(described?.outlier.ejected, true);

      await sleep(60);
      assert.equal(
        stats.cluster('svc', 'outlier_detection.ejections_active'),
        1,
        'still ejected before base time',
      );
      clock.advance(10_000);
      await eventually(() => stats.cluster('svc', 'outlier_detection.ejections_active') === 0);
      assert.ok((pickCounts(cluster, 30).get(badId) ?? 0) > 0);
      assert.equal(stats.cluster('svc', 'membership_healthy'), 3);
    } finally {
      manager.close();
    }
  });

  it('a second ejection lasts base_ejection_time × 2, capped by max_ejection_time', async () => {
    const { manager, stats, clock } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([1001, 1002, 1003], { consecutive5xx: 2, maxEjectionTime: { seconds: 15n } }),
      ]);
      const cluster = view(manager, 'svc');
      const host = hostOn(cluster, 1001);
      const fail = (): void => cluster.recordOutcome(host, { kind: 'response', status: 503 });
      const active = (): number => stats.cluster('svc', 'outlier_detection.ejections_active');
      fail();
      fail();
      assert.equal(active(), 1);
      clock.advance(10_000);
      await eventually(() => active() === 0);
      fail();
      fail();
      assert.equal(active(), 1);
      clock.advance(10_000);
      await sleep(60);
      assert.equal(active(), 1, '2 × 10 s capped at 15 s has not passed');
      clock.advance(5_000);
      await eventually(() => active() === 0);
    } finally {
      manager.close();
    }
  });

  it('max_ejection_percent caps ejections, but the first is always allowed', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([1001, 1002, 1003], { consecutive5xx: 1, maxEjectionPercent: 10 }),
      ]);
      const cluster = view(manager, 'svc');
      for (const port of [1001, 1002, 1003]) {
        cluster.recordOutcome(hostOn(cluster, port), { kind: 'response', status: 500 });
      }
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 1);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_overflow'), 2);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_detected_consecutive_5xx'), 3);
    } finally {
      manager.close();
    }
  });

  it('a successful response resets the consecutive count', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [outlierCluster([1001, 1002], { consecutive5xx: 3 })]);
      const cluster = view(manager, 'svc');
      const host = hostOn(cluster, 1001);
      for (const status of [500, 502, 200, 500, 503, 404, 500, 500])
        cluster.recordOutcome(host, { kind: 'response', status });
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 0);
      cluster.recordOutcome(host, { kind: 'response', status: 500 });
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 1);
    } finally {
      manager.close();
    }
  });

  it('consecutive gateway failures (502/503/504 and connect failures) eject when enforced; a 500 resets them', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([1001, 1002], {
          consecutive5xx: 100,
          consecutiveGatewayFailure: 3,
          enforcingConsecutiveGatewayFailure: 100,
        }),
      ]);
      const cluster = view(manager, 'svc');
      const host = hostOn(cluster, 1001);
      cluster.recordOutcome(host, { kind: 'response', status: 502 });
      cluster.recordOutcome(host, { kind: 'response', status: 503 });
      cluster.recordOutcome(host, { kind: 'response', status: 500 });
      cluster.recordOutcome(host, { kind: 'response', status: 504 });
      cluster.recordOutcome(host, { kind: 'connect-failure' });
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 0);
      cluster.recordOutcome(host, { kind: 'timeout' });
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 1);
      assert.equal(
        stats.cluster('svc', 'outlier_detection.ejections_enforced_consecutive_gateway_failure'),
        1,
      );
      assert.equal(stats.cluster('svc', 'upstream_rq_timeout'), 1);
    } finally {
      manager.close();
    }
  });

  it('gateway failures are only detected, not enforced, by default (enforcing_consecutive_gateway_failure 0)', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([1001, 1002], { consecutive5xx: 100, consecutiveGatewayFailure: 2 }),
      ]);
      const cluster = view(manager, 'svc');
      const host = hostOn(cluster, 1001);
      for (let i = 0; i < 2; i++) cluster.recordOutcome(host, { kind: 'response', status: 503 });
      assert.equal(
        stats.cluster('svc', 'outlier_detection.ejections_detected_consecutive_gateway_failure'),
        1,
      );
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 0);
    } finally {
      manager.close();
    }
  });

  it('with split_external_local_origin_errors, connect failures count on their own detector', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([1001, 1002], {
          consecutive5xx: 2,
          splitExternalLocalOriginErrors: true,
          consecutiveLocalOriginFailure: 3,
        }),
      ]);
      const cluster = view(manager, 'svc');
      const host = hostOn(cluster, 1001);
      cluster.recordOutcome(host, { kind: 'connect-failure' });
      cluster.recordOutcome(host, { kind: 'connect-failure' });
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 0);
      cluster.recordOutcome(host, { kind: 'reset' });
      assert.equal(
        stats.cluster('svc', 'outlier_detection.ejections_enforced_consecutive_local_origin_failure'),
        1,
      );
    } finally {
      manager.close();
    }
  });

  it('the success-rate detector ejects a host far below its peers', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        outlierCluster([1001, 1002, 1003, 1004, 1005], {
          consecutive5xx: 1000,
          successRateMinimumHosts: 5,
          successRateRequestVolume: 20,
          successRateStdevFactor: 1000,
        }),
      ]);
      const cluster = view(manager, 'svc');
      for (const port of [1001, 1002, 1003, 1004, 1005]) {
        const host = hostOn(cluster, port);
        for (let i = 0; i < 20; i++) {
          const status = port === 1001 && i % 2 === 0 ? 500 : 200;
          cluster.recordOutcome(host, { kind: 'response', status });
        }
      }
      await eventually(() => stats.cluster('svc', 'outlier_detection.ejections_enforced_success_rate') === 1);
      assert.equal(stats.cluster('svc', 'outlier_detection.ejections_active'), 1);
    } finally {
      manager.close();
    }
  });
});
