// Cluster.load_balancing_policy (typed LB extensions): the first supported policy wins over lb_policy;
// round robin, least request, ring hash, maglev and random (both encoded by hand: their .proto is not
// shipped), and wrr_locality turning on locality weights around an inner policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { anyPack, type Any } from '@bufbuild/protobuf/wkt';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { LeastRequestSchema } from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/least_request/v3/least_request_pb.ts';
import { RingHashSchema } from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash_pb.ts';
import { RoundRobinSchema } from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/round_robin/v3/round_robin_pb.ts';
import { WrrLocalitySchema } from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality_pb.ts';
import { assignment, edsCluster, ports } from './helpers/config.ts';
import {
  applyAssignments,
  applyClusters,
  harness,
  pickCounts,
  prepareClusters,
  view,
} from './helpers/harness.ts';

const PREFIX = 'type.googleapis.com/envoy.extensions.load_balancing_policies.';

function packed<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Any {
  return anyPack(schema, create(schema, init));
}

function raw(typeUrl: string, value: Uint8Array): Any {
  return { $typeName: 'google.protobuf.Any', typeUrl, value };
}

function policies(...configs: Any[]) {
  return {
    lbPolicy: Cluster_LbPolicy.RANDOM,
    loadBalancingPolicy: {
      policies: configs.map((typedConfig, i) => ({ typedExtensionConfig: { name: `p${i}`, typedConfig } })),
    },
  };
}

/** Maglev { table_size: UInt64Value(size) } */
function maglev(size: number): Any {
  const writer = new BinaryWriter();
  writer.tag(1, 2).fork().tag(1, 0).uint64(size).join();
  return raw(`${PREFIX}maglev.v3.Maglev`, writer.finish());
}

describe('load_balancing_policy', { timeout: 10_000 }, () => {
  it('round_robin rotates exactly, overriding lb_policy', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', policies(packed(RoundRobinSchema, {})))]);
      applyAssignments(manager, [ports('svc', [1001, 1002])]);
      const cluster = view(manager, 'svc');
      const picks = Array.from({ length: 6 }, () => cluster.selectHost({})?.id);
      assert.deepEqual(picks.slice(2), [...picks.slice(0, 2), ...picks.slice(0, 2)]);
      assert.equal(manager.describe()[0]?.lbPolicy, 'ROUND_ROBIN');
    } finally {
      manager.close();
    }
  });

  it('skips policies it does not know and takes the first it does', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        edsCluster(
          'svc',
          policies(
            raw(
              `${PREFIX}client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin`,
              new Uint8Array(),
            ),
            packed(LeastRequestSchema, { choiceCount: 3 }),
          ),
        ),
      ]);
      assert.equal(manager.describe()[0]?.lbPolicy, 'LEAST_REQUEST');
    } finally {
      manager.close();
    }
  });

  it('ring_hash keeps keys on the same host', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', policies(packed(RingHashSchema, { minimumRingSize: 64n })))]);
      applyAssignments(manager, [ports('svc', [1001, 1002, 1003])]);
      const cluster = view(manager, 'svc');
      assert.equal(manager.describe()[0]?.lbPolicy, 'RING_HASH');
      for (let i = 0; i < 20; i++) {
        assert.equal(
          cluster.selectHost({ hashKey: `k${i}` })?.id,
          cluster.selectHost({ hashKey: `k${i}` })?.id,
        );
      }
    } finally {
      manager.close();
    }
  });

  it('maglev is decoded by hand, table_size included (and checked)', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [edsCluster('svc', policies(maglev(1021)))]);
      applyAssignments(manager, [ports('svc', [1001, 1002])]);
      assert.equal(manager.describe()[0]?.lbPolicy, 'MAGLEV');
      assert.equal(pickCounts(view(manager, 'svc'), 200, (i) => `k${i}`).size, 2);
      assert.match(
        prepareClusters(manager, [edsCluster('bad', policies(maglev(1000)))]) ?? '',
        /^cluster 'bad': load_balancing_policy.*table_size/,
      );
    } finally {
      manager.close();
    }
  });

  it('random is accepted with an empty config', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        edsCluster('svc', {
          ...policies(raw(`${PREFIX}random.v3.Random`, new Uint8Array())),
          lbPolicy: Cluster_LbPolicy.ROUND_ROBIN,
        }),
      ]);
      assert.equal(manager.describe()[0]?.lbPolicy, 'RANDOM');
    } finally {
      manager.close();
    }
  });

  it('wrr_locality applies locality weights around its endpoint picking policy', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        edsCluster(
          'svc',
          policies(
            packed(WrrLocalitySchema, {
              endpointPickingPolicy: {
                policies: [
                  { typedExtensionConfig: { name: 'rr', typedConfig: packed(RoundRobinSchema, {}) } },
                ],
              },
            }),
          ),
        ),
      ]);
      applyAssignments(manager, [
        assignment('svc', [
          { locality: { zone: 'a' }, weight: 1, endpoints: [{ port: 1001 }] },
          { locality: { zone: 'b' }, weight: 4, endpoints: [{ port: 2001 }] },
        ]),
      ]);
      const counts = pickCounts(view(manager, 'svc'), 500);
      assert.equal(counts.get('127.0.0.1:1001'), 100);
      assert.equal(counts.get('127.0.0.1:2001'), 400);
    } finally {
      manager.close();
    }
  });
});
