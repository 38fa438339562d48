// One xDS type on the ADS stream: its handler, subscribed names, accepted version and resources, last nonce;
// and the DiscoveryRequest that ACKs, NACKs or (re)subscribes it.
import { create } from '@bufbuild/protobuf';
import {
  CLUSTER_TYPE_URL,
  DiscoveryRequestSchema,
  LISTENER_TYPE_URL,
  type DiscoveryRequest,
  type Node,
} from '@heddle/xds';
import type { ResourceHandler } from '../config/resource-handler.ts';
import type { StatsSink } from '../stats/stats-sink.ts';
import type { DecodedResource } from './decoded-resource.ts';
import { SubscriptionStats } from './subscription-stats.ts';

/** google.rpc.Code INVALID_ARGUMENT, the code of every NACK. */
export const NACK_CODE = 3;

export interface TypeChannel {
  readonly typeUrl: string;
  /** `Cluster`, `Listener` …, for messages. */
  readonly kind: string;
  readonly handler: ResourceHandler;
  /** CDS and LDS subscribe to everything; EDS and RDS to the names their parents use. */
  readonly wildcard: boolean;
  readonly stats: SubscriptionStats;
  names: readonly string[];
  active: boolean;
  committed: boolean;
  version: string;
  nonce: string;
  accepted: Map<string, DecodedResource>;
  /** Names whose warming timed out: later updates do not wait for them again. */
  gaveUp: Set<string>;
}

export function createTypeChannel(handler: ResourceHandler, stats: StatsSink): TypeChannel {
  const typeUrl = handler.typeUrl;
  return {
    typeUrl,
    kind: typeUrl.slice(typeUrl.lastIndexOf('.') + 1),
    handler,
    wildcard: typeUrl === CLUSTER_TYPE_URL || typeUrl === LISTENER_TYPE_URL,
    stats: new SubscriptionStats(stats, typeUrl),
    names: [],
    active: false,
    committed: false,
    version: '',
    nonce: '',
    accepted: new Map(),
    gaveUp: new Set(),
  };
}

/** ACK (nonce, new version), NACK (nonce, previous version, error) or subscription (last nonce). */
export function discoveryRequest(
  channel: TypeChannel,
  nonce: string,
  options: { readonly error?: string; readonly node?: Node } = {},
): DiscoveryRequest {
  return create(DiscoveryRequestSchema, {
    versionInfo: channel.version,
    typeUrl: channel.typeUrl,
    resourceNames: channel.wildcard ? [] : [...channel.names],
    responseNonce: nonce,
    ...(options.error !== undefined ? { errorDetail: { code: NACK_CODE, message: options.error } } : {}),
    ...(options.node ? { node: options.node } : {}),
  });
}
