// The StatsConfig of one `istio.stats` filter (HTTP or TCP): reporter, the node's peer metadata and identity,
// and the Telemetry overrides for that reporter, as a TypedStruct (a Heddle-only filter).
import type { Any } from '@bufbuild/protobuf/wkt';
import { typedStruct } from '@heddle/xds';
import type { TranslationContext } from '../../translate-proxy.ts';
import { resolveMetricOverrides } from './metric-overrides.ts';
import { nodePeerMetadata, nodePrincipal } from './node-peer-metadata.ts';

export const STATS_CONFIG_TYPE_URL = 'type.heddle.dev/heddle.telemetry.v1.StatsConfig';

/** `source`: the proxy is the client (sidecar outbound, gateways); `destination`: the server (inbound). */
export type Reporter = 'source' | 'destination';

/** A service this server-side filter's port serves, for destination_service on the server side. */
export interface ServedService {
  readonly host: string;
  readonly name: string;
  readonly namespace: string;
}

export function statsFilterConfig(
  ctx: TranslationContext,
  reporter: Reporter,
  services: readonly ServedService[] = [],
): Any {
  const node = ctx.node;
  const metrics = resolveMetricOverrides(ctx, reporter === 'source' ? 'CLIENT' : 'SERVER');
  return typedStruct(STATS_CONFIG_TYPE_URL, {
    reporter,
    nodeId: node.id,
    node: nodePeerMetadata(node),
    principal: nodePrincipal(node, ctx.index.trustDomain),
    ...(services.length > 0 ? { services: services.map((service) => ({ ...service })) } : {}),
    ...(Object.keys(metrics).length > 0 ? { metrics } : {}),
  });
}
