// Whether a proxy is a proxyless gRPC client, which announces itself with node metadata `GENERATOR: grpc`.
import type { ProxyNode } from '../model/proxy-node.ts';

/** Istio's metadata key and value for the generator that serves proxyless gRPC. */
export const GENERATOR_KEY = 'GENERATOR';
export const GRPC_GENERATOR = 'grpc';

export function isGrpcClient(node: ProxyNode): boolean {
  return node.metadata[GENERATOR_KEY] === GRPC_GENERATOR;
}
