// lbPolicyFor: Istio's loadBalancer settings to Envoy lb_policy, and the proxyless-gRPC subset of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadBalancerSettings } from '@heddle/api';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { lbPolicyFor } from '../../src/cluster/load-balancer.ts';

const policy = (lb: LoadBalancerSettings | undefined, grpcClient = false) =>
  lbPolicyFor(lb, { grpcClient }).lbPolicy;

describe('lbPolicyFor', () => {
  it('defaults to LEAST_REQUEST, as Istio does, and reads LEAST_CONN as LEAST_REQUEST', () => {
    assert.equal(policy(undefined), Cluster_LbPolicy.LEAST_REQUEST);
    assert.equal(policy({ simple: 'UNSPECIFIED' }), Cluster_LbPolicy.LEAST_REQUEST);
    assert.equal(policy({ simple: 'LEAST_CONN' }), Cluster_LbPolicy.LEAST_REQUEST);
  });

  it('maps ROUND_ROBIN and RANDOM directly', () => {
    assert.equal(policy({ simple: 'ROUND_ROBIN' }), Cluster_LbPolicy.ROUND_ROBIN);
    assert.equal(policy({ simple: 'RANDOM' }), Cluster_LbPolicy.RANDOM);
  });

  it('turns PASSTHROUGH into an original-destination cluster', () => {
    const choice = lbPolicyFor({ simple: 'PASSTHROUGH' });
    assert.equal(choice.originalDst, true);
    assert.equal(choice.lbPolicy, Cluster_LbPolicy.CLUSTER_PROVIDED);
  });

  it('uses a ring of Envoy default size unless the rule (or its deprecated field) sizes it', () => {
    const ring = (lb: LoadBalancerSettings) => {
      const config = lbPolicyFor(lb).lbConfig;
      return config?.case === 'ringHashLbConfig' ? config.value.minimumRingSize : undefined;
    };
    assert.equal(ring({ consistentHash: { useSourceIp: true } }), 1024n);
    assert.equal(ring({ consistentHash: { useSourceIp: true, ringHash: { minimumRingSize: 4096 } } }), 4096n);
    assert.equal(ring({ consistentHash: { useSourceIp: true, minimumRingSize: 64 } }), 64n);
  });

  it('picks MAGLEV when the rule asks for it', () => {
    const choice = lbPolicyFor({ consistentHash: { httpHeaderName: 'x', maglev: { tableSize: 131 } } });
    assert.equal(choice.lbPolicy, Cluster_LbPolicy.MAGLEV);
    assert.equal(choice.lbConfig?.case === 'maglevLbConfig' && choice.lbConfig.value.tableSize, 131n);
  });

  it('adds slow start to ROUND_ROBIN and LEAST_REQUEST when warmup is set', () => {
    const choice = lbPolicyFor({ warmup: { duration: '30s' } });
    assert.equal(choice.lbConfig?.case, 'leastRequestLbConfig');
    const old = lbPolicyFor({ simple: 'ROUND_ROBIN', warmupDurationSecs: '10s' });
    assert.equal(old.lbConfig?.case, 'roundRobinLbConfig');
  });

  it('offers a proxyless gRPC client only ROUND_ROBIN and RING_HASH', () => {
    assert.equal(policy(undefined, true), Cluster_LbPolicy.ROUND_ROBIN);
    assert.equal(policy({ simple: 'LEAST_CONN' }, true), Cluster_LbPolicy.ROUND_ROBIN);
    assert.equal(policy({ simple: 'RANDOM' }, true), Cluster_LbPolicy.ROUND_ROBIN);
    assert.equal(
      policy({ consistentHash: { httpHeaderName: 'x', maglev: {} } }, true),
      Cluster_LbPolicy.RING_HASH,
    );
    assert.equal(
      lbPolicyFor({ simple: 'ROUND_ROBIN', warmup: { duration: '5s' } }, { grpcClient: true }).lbConfig,
      undefined,
    );
  });
});
