// The xDS Node the proxy announces on every ADS stream, built from the bootstrap.
import { create } from '@bufbuild/protobuf';
import { NodeSchema, type Node } from '@heddle/xds';
import { PROXY_USER_AGENT, PROXY_VERSION } from '../config/version.ts';
import type { BootstrapNode } from './bootstrap.ts';

export function buildXdsNode(node: BootstrapNode): Node {
  return create(NodeSchema, {
    id: node.id,
    cluster: node.cluster,
    metadata: node.metadata,
    ...(node.locality ? { locality: node.locality } : {}),
    userAgentName: PROXY_USER_AGENT,
    userAgentVersionType: { case: 'userAgentVersion', value: PROXY_VERSION },
  });
}
