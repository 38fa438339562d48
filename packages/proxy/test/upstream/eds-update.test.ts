// Membership changes without disruption: an EDS update keeps hosts that stay (with their counters), lets
// in-flight requests on removed hosts finish before their connections close; a cluster removed or replaced
// by CDS serves its in-flight requests the same way; unchanged resends change nothing.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { edsCluster, ports, staticCluster } from './helpers/config.ts';
import { applyAssignments, applyClusters, eventually, harness, pickCounts, view } from './helpers/harness.ts';
import { request, send } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString();
  return text;
}

describe('membership updates', { timeout: 15_000 }, () => {
  let a: TestUpstream;
  let b: TestUpstream;
  const held: ServerResponse[] = [];
  let openSockets = 0;
  before(async () => {
    a = await startHttpUpstream('a', (req, res) => {
      req.resume();
      if (req.url === '/hold') held.push(res);
      else res.end('a');
    });
    b = await startHttpUpstream('b');
  });
  after(async () => {
    for (const res of held) res.end();
    await closeAll([a, b]);
  });

  it('an EDS update that removes a host lets its in-flight request finish, then closes its connection', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [ports('svc', [a.port])]);
      const svc = view(manager, 'svc');
      const hostA = svc.selectHost({});
      assert.ok(hostA);
      const attempt = svc.sendHttp(hostA, request({ path: '/hold' }));
      await eventually(() => held.length === 1);
      const res = held[0] as ServerResponse;
      openSockets = 0;
      res.socket?.on('close', () => openSockets--);
      applyAssignments(manager, [ports('svc', [b.port])]);
      assert.deepEqual([...pickCounts(svc, 10).keys()], [`127.0.0.1:${b.port}`]);
      assert.equal(stats.cluster('svc', 'membership_total'), 1);
      // The removed host's request still completes over its connection.
      res.write('still ');
      held.shift()?.end('here');
      const response = await attempt.response;
      assert.equal(response.status, 200);
      assert.equal(await readAll(response.body), 'still here');
      await eventually(() => openSockets === -1);
    } finally {
      manager.close();
    }
  });

  it('hosts that stay keep their state across updates', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', { lbPolicy: Cluster_LbPolicy.ROUND_ROBIN })]);
      applyAssignments(manager, [ports('svc', [a.port])]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      await send(svc, host);
      applyAssignments(manager, [ports('svc', [a.port, b.port])]);
      const same = pickCounts(svc, 2);
      assert.equal(same.size, 2);
      const description = manager.describe()[0]?.hosts.find((h) => h.address === host.id);
      assert.equal(description?.rqTotal, 1);
      assert.equal(description?.cxActive, 1);
    } finally {
      manager.close();
    }
  });

  it('a cluster removed by CDS keeps serving its in-flight request, then closes', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [a.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const attempt = svc.sendHttp(host, request({ path: '/hold' }));
      await eventually(() => held.length === 1);
      const closed = new Promise<void>((resolve) => held[0]?.socket?.on('close', () => resolve()));
      applyClusters(manager, []);
      assert.equal(manager.cluster('svc'), undefined);
      assert.equal(stats.values.get('cluster_manager.cluster_removed'), 1);
      assert.equal(stats.values.get('cluster_manager.active_clusters'), 0);
      held.shift()?.end('finished');
      const response = await attempt.response;
      assert.equal(await readAll(response.body), 'finished');
      await closed;
    } finally {
      manager.close();
    }
  });

  it('a changed cluster replaces the old one, whose in-flight request still completes', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [a.port]))]);
      const old = view(manager, 'svc');
      const host = old.selectHost({});
      assert.ok(host);
      const attempt = old.sendHttp(host, request({ path: '/hold' }));
      await eventually(() => held.length === 1);
      applyClusters(manager, [staticCluster('svc', ports('svc', [b.port]))]);
      const replaced = view(manager, 'svc');
      assert.notEqual(replaced, old);
      assert.equal(replaced.selectHost({})?.port, b.port);
      assert.equal(stats.values.get('cluster_manager.cluster_modified'), 1);
      held.shift()?.end('old');
      assert.equal(await readAll((await attempt.response).body), 'old');
    } finally {
      manager.close();
    }
  });

  it('an unchanged resend keeps the same cluster; an assignment that came first seeds a new EDS cluster', () => {
    const { manager, stats } = harness();
    try {
      applyAssignments(manager, [ports('svc', [a.port])]);
      applyClusters(manager, [edsCluster('svc')]);
      const first = view(manager, 'svc');
      assert.equal(first.selectHost({})?.port, a.port);
      applyClusters(manager, [edsCluster('svc')]);
      assert.equal(view(manager, 'svc'), first);
      assert.equal(stats.values.get('cluster_manager.cluster_added'), 1);
      assert.equal(stats.values.get('cluster_manager.cluster_modified'), 0);
    } finally {
      manager.close();
    }
  });

  it('a removed assignment leaves its EDS cluster without hosts', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc')]);
      applyAssignments(manager, [ports('svc', [a.port])]);
      applyAssignments(manager, []);
      assert.equal(view(manager, 'svc').selectHost({}), undefined);
    } finally {
      manager.close();
    }
  });
});
