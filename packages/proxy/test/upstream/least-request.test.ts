// LEAST_REQUEST: hosts busy with in-flight requests (held open by a real upstream) are picked less; with
// unequal weights, picks follow weight / (active + 1).
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { UpstreamAttempt } from '../../src/upstream/cluster-view.ts';
import { assignment, edsCluster, ports } from './helpers/config.ts';
import { applyAssignments, applyClusters, eventually, harness, pickCounts, view } from './helpers/harness.ts';
import { request } from './helpers/send.ts';
import { closeAll, startHttpUpstreams, type TestUpstream } from './helpers/upstreams.ts';

describe('LEAST_REQUEST', { timeout: 10_000 }, () => {
  let upstreams: TestUpstream[];
  const held: ServerResponse[] = [];
  before(async () => {
    upstreams = await startHttpUpstreams(3, (req, res, upstream) => {
      req.resume();
      // u0 holds every request open until the test releases it.
      if (upstream.name === 'u0') held.push(res);
      else res.end(upstream.name);
    });
  });
  after(async () => {
    for (const res of held) res.end();
    await closeAll(upstreams);
  });

  it('prefers idle hosts over a host with requests in flight (power of two choices)', async () => {
    const { manager, stats } = harness();
    const attempts: UpstreamAttempt[] = [];
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.LEAST_REQUEST })]);
      applyAssignments(manager, [
        ports(
          'svc',
          upstreams.map((u) => u.port),
        ),
      ]);
      const cluster = view(manager, 'svc');
      const busyHost = Array.from({ length: 10 }, () => cluster.selectHost({})).find(
        (h) => h?.port === upstreams[0]?.port,
      );
      assert.ok(busyHost);
      for (let i = 0; i < 5; i++) attempts.push(cluster.sendHttp(busyHost, request()));
      await eventually(() => held.length === 5);
      assert.equal(stats.cluster('svc', 'upstream_rq_active'), 5);
      const counts = pickCounts(cluster, 900);
      // The busy host only wins when both samples land on it: about 1 pick in 9.
      const busyPicks = counts.get(busyHost.id) ?? 0;
      assert.ok(busyPicks < 900 * 0.2, `busy host picked ${busyPicks} times`);
      for (const u of upstreams.slice(1)) assert.ok((counts.get(`127.0.0.1:${u.port}`) ?? 0) > 900 * 0.35);
    } finally {
      for (const res of held.splice(0)) res.end();
      await Promise.allSettled(attempts.map((a) => a.response));
      manager.close();
    }
  });

  it('follows weight / (active + 1) when weights differ', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.LEAST_REQUEST })]);
      applyAssignments(manager, [
        assignment('svc', [
          {
            endpoints: [
              { port: 1001, weight: 3 },
              { port: 1002, weight: 1 },
            ],
          },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 400);
      assert.equal(counts.get('127.0.0.1:1001'), 300);
      assert.equal(counts.get('127.0.0.1:1002'), 100);
    } finally {
      manager.close();
    }
  });

  it('a choice_count far above the host count always avoids the busy host', async () => {
    const { manager } = harness();
    const attempts: UpstreamAttempt[] = [];
    try {
      applyClusters(manager, [
        edsCluster('svc', {
          lbPolicy: Cluster_LbPolicy.LEAST_REQUEST,
          lbConfig: { case: 'leastRequestLbConfig', value: { choiceCount: 50 } },
        }),
      ]);
      applyAssignments(manager, [
        ports(
          'svc',
          upstreams.map((u) => u.port),
        ),
      ]);
      const cluster = view(manager, 'svc');
      const busyHost = Array.from({ length: 10 }, () => cluster.selectHost({})).find(
        (h) => h?.port === upstreams[0]?.port,
      );
      assert.ok(busyHost);
      attempts.push(cluster.sendHttp(busyHost, request()));
      await eventually(() => held.length === 1);
      const counts = pickCounts(cluster, 200);
      assert.equal(counts.get(busyHost.id) ?? 0, 0);
    } finally {
      for (const res of held.splice(0)) res.end();
      await Promise.allSettled(attempts.map((a) => a.response));
      manager.close();
    }
  });
});
