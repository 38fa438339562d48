// Cluster.load_balancing_policy: the first typed policy the proxy supports wins (as in Envoy); round robin,
// least request, ring hash, maglev, random, and wrr_locality around any of them.
import { fromBinary } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { unpackAnyAs } from '@heddle/xds';
import type { LoadBalancingPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import {
  ConsistentHashingLbConfigSchema,
  type LocalityLbConfig,
  LocalityLbConfigSchema,
} from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/common/v3/common_pb.ts';
import {
  LeastRequest_SelectionMethod,
  LeastRequestSchema,
} from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/least_request/v3/least_request_pb.ts';
import {
  RingHash_HashFunction,
  RingHashSchema,
} from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash_pb.ts';
import { RoundRobinSchema } from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/round_robin/v3/round_robin_pb.ts';
import { WrrLocalitySchema } from '@heddle/xds/gen/envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality_pb.ts';
import type { LbConfig } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { maglevTableSize, ringSizes, runtimeDouble, slowStart } from './lb-defaults.ts';

type TypedLb = Partial<LbConfig> & Pick<LbConfig, 'policy' | 'localityWeighted'>;

const PREFIX = 'type.googleapis.com/envoy.extensions.load_balancing_policies.';
const ROUND_ROBIN = `${PREFIX}round_robin.v3.RoundRobin`;
const LEAST_REQUEST = `${PREFIX}least_request.v3.LeastRequest`;
const RING_HASH = `${PREFIX}ring_hash.v3.RingHash`;
const MAGLEV = `${PREFIX}maglev.v3.Maglev`;
const RANDOM = `${PREFIX}random.v3.Random`;
const WRR_LOCALITY = `${PREFIX}wrr_locality.v3.WrrLocality`;
const CLUSTER_PROVIDED = `${PREFIX}cluster_provided.v3.ClusterProvided`;

export function compileLbPolicyExtension(policy: LoadBalancingPolicy, at: string): TypedLb {
  const seen: string[] = [];
  for (const [i, entry] of policy.policies.entries()) {
    const typed = entry.typedExtensionConfig?.typedConfig;
    if (!typed) continue;
    const compiled = compileTyped(typed, `${at}.policies[${i}].typed_extension_config.typed_config`);
    if (compiled) return compiled;
    seen.push(typed.typeUrl);
  }
  throw new ClusterConfigError(
    `${at}: none of the policies is supported (${seen.join(', ') || 'none given'})`,
  );
}

function compileTyped(any: Any, at: string): TypedLb | undefined {
  switch (any.typeUrl) {
    case ROUND_ROBIN: {
      const config = unpackAnyAs(any, RoundRobinSchema);
      return {
        policy: 'ROUND_ROBIN',
        localityWeighted: localityWeighted(config?.localityLbConfig),
        ...slowStart(config?.slowStartConfig, `${at}.slow_start_config`),
      };
    }
    case LEAST_REQUEST: {
      const config = unpackAnyAs(any, LeastRequestSchema);
      const choiceCount = config?.choiceCount ?? 2;
      if (choiceCount < 2) throw new ClusterConfigError(`${at}.choice_count: at least 2`);
      return {
        policy: 'LEAST_REQUEST',
        choiceCount,
        activeRequestBias: runtimeDouble(config?.activeRequestBias, 1),
        fullScan:
          config?.enableFullScan === true ||
          config?.selectionMethod === LeastRequest_SelectionMethod.FULL_SCAN,
        localityWeighted: localityWeighted(config?.localityLbConfig),
        ...slowStart(config?.slowStartConfig, `${at}.slow_start_config`),
      };
    }
    case RING_HASH: {
      const config = unpackAnyAs(any, RingHashSchema);
      if (
        config &&
        config.hashFunction !== RingHash_HashFunction.XX_HASH &&
        config.hashFunction !== RingHash_HashFunction.DEFAULT_HASH
      ) {
        throw new ClusterConfigError(`${at}.hash_function: only XX_HASH is supported`);
      }
      if (
        config?.hashBalanceFactor !== undefined ||
        config?.consistentHashingLbConfig?.hashBalanceFactor !== undefined
      ) {
        throw new ClusterConfigError(`${at}.hash_balance_factor: not supported`);
      }
      return {
        policy: 'RING_HASH',
        ...ringSizes(config?.minimumRingSize, config?.maximumRingSize, at),
        useHostnameForHashing:
          config?.useHostnameForHashing === true ||
          config?.consistentHashingLbConfig?.useHostnameForHashing === true,
        localityWeighted: config?.localityWeightedLbConfig !== undefined,
      };
    }
    case MAGLEV:
      return compileMaglev(any.value, at);
    case RANDOM:
      return compileRandom(any.value, at);
    case WRR_LOCALITY: {
      const config = unpackAnyAs(any, WrrLocalitySchema);
      if (!config?.endpointPickingPolicy)
        throw new ClusterConfigError(`${at}.endpoint_picking_policy: required`);
      const inner = compileLbPolicyExtension(config.endpointPickingPolicy, `${at}.endpoint_picking_policy`);
      return { ...inner, localityWeighted: true };
    }
    case CLUSTER_PROVIDED:
      return { policy: 'CLUSTER_PROVIDED', localityWeighted: false };
    default:
      return undefined;
  }
}

function localityWeighted(config: LocalityLbConfig | undefined): boolean {
  return config?.localityConfigSpecifier.case === 'localityWeightedLbConfig';
}

/** Fields of a message the xDS registry lacks (its .proto is not shipped): field number → raw bytes. */
function rawFields(bytes: Uint8Array, at: string): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  const reader = new BinaryReader(bytes);
  try {
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (wire !== WireType.LengthDelimited) throw new Error(`field ${field} has an unexpected wire type`);
      fields.set(field, reader.bytes());
    }
  } catch (err) {
    throw new ClusterConfigError(`${at}: cannot decode: ${(err as Error).message}`);
  }
  return fields;
}

/** envoy.extensions.load_balancing_policies.maglev.v3.Maglev: table_size = 1 (UInt64Value), 2, 3. */
function compileMaglev(bytes: Uint8Array, at: string): TypedLb {
  const fields = rawFields(bytes, at);
  let tableSize: bigint | undefined;
  const wrapped = fields.get(1);
  if (wrapped) {
    const reader = new BinaryReader(wrapped);
    tableSize = 0n;
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.Varint) tableSize = BigInt(reader.uint64());
      else reader.skip(wire, field);
    }
  }
  const hashing = fields.get(2);
  if (hashing && fromBinary(ConsistentHashingLbConfigSchema, hashing).hashBalanceFactor !== undefined) {
    throw new ClusterConfigError(`${at}.consistent_hashing_lb_config.hash_balance_factor: not supported`);
  }
  return {
    policy: 'MAGLEV',
    maglevTableSize: maglevTableSize(tableSize, at),
    useHostnameForHashing: hashing
      ? fromBinary(ConsistentHashingLbConfigSchema, hashing).useHostnameForHashing
      : false,
    localityWeighted: fields.has(3),
  };
}

/** envoy.extensions.load_balancing_policies.random.v3.Random: locality_lb_config = 1. */
function compileRandom(bytes: Uint8Array, at: string): TypedLb {
  const locality = rawFields(bytes, at).get(1);
  return {
    policy: 'RANDOM',
    localityWeighted: locality ? localityWeighted(fromBinary(LocalityLbConfigSchema, locality)) : false,
  };
}
