// STRICT_DNS and LOGICAL_DNS clusters with an injected resolver: names resolve at once and again every
// dns_refresh_rate; STRICT_DNS has a host per address, LOGICAL_DNS only the first; a failed lookup keeps the
// last good hosts; requests reach the resolved address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Cluster_DiscoveryType,
  Cluster_DnsLookupFamily,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { DnsResolver } from '../../src/upstream/discovery/dns-resolver.ts';
import { assignment, cluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, sleep, view } from './helpers/harness.ts';
import { send } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

function dnsCluster(kind: Cluster_DiscoveryType, port: number, refreshMs = 30) {
  return cluster({
    name: 'svc',
    clusterDiscoveryType: { case: 'type', value: kind },
    dnsRefreshRate: { nanos: refreshMs * 1_000_000 },
    dnsLookupFamily: Cluster_DnsLookupFamily.V4_ONLY,
    loadAssignment: assignment('svc', [{ endpoints: [{ address: 'backend.example', port }] }]),
  });
}

describe('DNS clusters', { timeout: 10_000 }, () => {
  let upstream: TestUpstream;
  before(async () => {
    upstream = await startHttpUpstream('resolved');
  });
  after(() => closeAll([upstream]));

  it('STRICT_DNS: one host per resolved address, re-resolved on dns_refresh_rate', async () => {
    let answer = ['127.0.0.1', '127.0.0.2'];
    const asked: { name: string; family: number | undefined }[] = [];
    const dns: DnsResolver = (name, family) => {
      asked.push({ name, family });
      return Promise.resolve(answer);
    };
    const { manager, stats } = harness({ dns });
    try {
      applyClusters(manager, [dnsCluster(Cluster_DiscoveryType.STRICT_DNS, upstream.port)]);
      await eventually(() => stats.cluster('svc', 'membership_total') === 2);
      assert.deepEqual(asked[0], { name: 'backend.example', family: 4 });
      const hosts = manager.describe()[0]?.hosts.map((h) => [h.address, h.hostname]);
      assert.deepEqual(hosts, [
        [`127.0.0.1:${upstream.port}`, 'backend.example'],
        [`127.0.0.2:${upstream.port}`, 'backend.example'],
      ]);
      answer = ['127.0.0.1'];
      await eventually(() => stats.cluster('svc', 'membership_total') === 1);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      assert.equal((await send(svc, host)).body, 'resolved');
    } finally {
      manager.close();
    }
  });

  it('LOGICAL_DNS: a single host, the first address', async () => {
    const dns: DnsResolver = () => Promise.resolve(['127.0.0.1', '127.0.0.3']);
    const { manager, stats } = harness({ dns });
    try {
      applyClusters(manager, [dnsCluster(Cluster_DiscoveryType.LOGICAL_DNS, upstream.port)]);
      await eventually(() => stats.cluster('svc', 'membership_total') === 1);
      assert.equal(view(manager, 'svc').selectHost({})?.id, `127.0.0.1:${upstream.port}`);
    } finally {
      manager.close();
    }
  });

  it('keeps the last good hosts when a lookup fails, and logs it', async () => {
    let fail = false;
    const dns: DnsResolver = () =>
      fail ? Promise.reject(new Error('SERVFAIL')) : Promise.resolve(['127.0.0.1']);
    const { manager, stats, logs } = harness({ dns });
    try {
      applyClusters(manager, [dnsCluster(Cluster_DiscoveryType.STRICT_DNS, upstream.port)]);
      await eventually(() => stats.cluster('svc', 'membership_total') === 1);
      fail = true;
      await eventually(() => logs.some((l) => l.includes('SERVFAIL')));
      await sleep(50);
      assert.equal(stats.cluster('svc', 'membership_total'), 1);
      assert.ok(logs.some((l) => l.includes("cluster 'svc'") && l.includes('backend.example')));
    } finally {
      manager.close();
    }
  });

  it('stops resolving once the cluster is removed', async () => {
    let lookups = 0;
    const dns: DnsResolver = () => {
      lookups++;
      return Promise.resolve(['127.0.0.1']);
    };
    const { manager } = harness({ dns });
    applyClusters(manager, [dnsCluster(Cluster_DiscoveryType.STRICT_DNS, upstream.port, 10)]);
    await eventually(() => lookups >= 2);
    applyClusters(manager, []);
    const after = lookups;
    await sleep(60);
    assert.ok(lookups <= after + 1, `${lookups - after} lookups after removal`);
    manager.close();
  });
});
