// ORIGINAL_DST clusters: the host comes from x-envoy-original-dst-host when use_http_header is set (the
// router passes it as originalDestination), else from the downstream connection's original destination;
// only IP:port forms are accepted, upstream_port_override applies, and requests reach that address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Cluster_DiscoveryType,
  Cluster_LbPolicy,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { cluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, view } from './helpers/harness.ts';
import { send } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

function passthrough(useHttpHeader: boolean, upstreamPortOverride?: number) {
  return cluster({
    name: 'PassthroughCluster',
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.ORIGINAL_DST },
    lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED,
    lbConfig: {
      case: 'originalDstLbConfig',
      value: { useHttpHeader, ...(upstreamPortOverride !== undefined ? { upstreamPortOverride } : {}) },
    },
  });
}

describe('ORIGINAL_DST', { timeout: 10_000 }, () => {
  let upstream: TestUpstream;
  before(async () => {
    upstream = await startHttpUpstream('original');
  });
  after(() => closeAll([upstream]));

  it('routes to the address in x-envoy-original-dst-host when use_http_header is set', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [passthrough(true)]);
      const svc = view(manager, 'PassthroughCluster');
      const host = svc.selectHost({ originalDestination: `127.0.0.1:${upstream.port}` });
      assert.equal(host?.id, `127.0.0.1:${upstream.port}`);
      assert.ok(host);
      assert.equal((await send(svc, host)).body, 'original');
      // The same destination reuses the same host (and its connection pool).
      assert.equal(svc.selectHost({ originalDestination: `127.0.0.1:${upstream.port}` }), host);
      assert.equal(manager.describe()[0]?.hosts.length, 1);
    } finally {
      manager.close();
    }
  });

  it('falls back to the downstream original destination without the header', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [passthrough(true)]);
      const svc = view(manager, 'PassthroughCluster');
      assert.equal(svc.selectHost({ downstreamOriginalDestination: '10.1.2.3:8080' })?.id, '10.1.2.3:8080');
      assert.equal(svc.selectHost({ downstreamOriginalDestination: '[fd00::1]:443' })?.id, '[fd00::1]:443');
    } finally {
      manager.close();
    }
  });

  it('ignores the header unless use_http_header is set', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [passthrough(false)]);
      const svc = view(manager, 'PassthroughCluster');
      assert.equal(
        svc.selectHost({ originalDestination: '10.9.9.9:80', downstreamOriginalDestination: '10.1.2.3:8080' })
          ?.id,
        '10.1.2.3:8080',
      );
      assert.equal(svc.selectHost({ originalDestination: '10.9.9.9:80' }), undefined);
    } finally {
      manager.close();
    }
  });

  it('refuses names and malformed destinations, and applies upstream_port_override', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [passthrough(true, 9443)]);
      const svc = view(manager, 'PassthroughCluster');
      for (const bad of ['evil.example:80', '10.0.0.1', '10.0.0.1:0', '10.0.0.1:99999', '::1:80', '']) {
        assert.equal(svc.selectHost({ originalDestination: bad }), undefined, bad);
      }
      assert.equal(stats.cluster('PassthroughCluster', 'upstream_cx_none_healthy'), 6);
      assert.equal(svc.selectHost({ originalDestination: '10.0.0.1:80' })?.id, '10.0.0.1:9443');
    } finally {
      manager.close();
    }
  });

  it('drops a destination unused for a cleanup_interval', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        cluster({
          name: 'PassthroughCluster',
          clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.ORIGINAL_DST },
          lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED,
          cleanupInterval: { nanos: 20_000_000 },
        }),
      ]);
      view(manager, 'PassthroughCluster').selectHost({ downstreamOriginalDestination: '10.0.0.1:80' });
      assert.equal(manager.describe()[0]?.hosts.length, 1);
      await eventually(() => manager.describe()[0]?.hosts.length === 0);
    } finally {
      manager.close();
    }
  });
});
