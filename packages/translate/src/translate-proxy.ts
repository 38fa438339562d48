// The translator's entry point: (snapshot, proxy) → Envoy v3 resources for that proxy, deterministic and pure.
import type { ClusterLoadAssignment } from '@heddle/xds';
import type { MeshSnapshot } from './model/mesh-snapshot.ts';
import type { ProxyNode } from './model/proxy-node.ts';
import type { TranslationOutput, TranslationWarning } from './model/translation-output.ts';
import { buildClusters } from './cluster/build-clusters.ts';
import { buildEndpoints } from './endpoint/build-endpoints.ts';
import { applyEnvoyFilters } from './envoy-filter/apply-envoy-filters.ts';
import { buildGrpcResources } from './grpc/build-grpc-resources.ts';
import { isGrpcClient } from './grpc/grpc-client.ts';
import { buildListeners } from './listener/build-listeners.ts';
import { buildRoutes } from './route/build-routes.ts';
import { buildMeshIndex, type MeshIndex } from './snapshot/mesh-index.ts';
import { gatewayCredentialSecrets } from './security/gateway-credential-secrets.ts';
import { trustBundleSecrets } from './security/trust-bundle-secret.ts';

export interface TranslationContext {
  readonly index: MeshIndex;
  readonly node: ProxyNode;
  warn(warning: TranslationWarning): void;
}

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Translates for one proxy; pass a prebuilt index when translating for many proxies of one snapshot. */
export function translateProxy(
  snapshot: MeshSnapshot,
  node: ProxyNode,
  index?: MeshIndex,
): TranslationOutput {
  const warnings: TranslationWarning[] = [];
  const ctx: TranslationContext = {
    index: index ?? buildMeshIndex(snapshot),
    node,
    warn: (warning) => warnings.push(warning),
  };
  const byClusterName = (a: ClusterLoadAssignment, b: ClusterLoadAssignment): number =>
    a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : 0;
  // Proxyless gRPC clients (node metadata GENERATOR: grpc) get their own generator, as in Istio.
  if (isGrpcClient(node)) {
    const grpc = buildGrpcResources(ctx);
    return {
      listeners: grpc.listeners.sort(byName),
      routes: grpc.routes.sort(byName),
      clusters: grpc.clusters.sort(byName),
      endpoints: grpc.endpoints.sort(byClusterName),
      secrets: [],
      warnings,
    };
  }
  const clusters = buildClusters(ctx).sort(byName);
  const endpoints = buildEndpoints(ctx, clusters).sort(byClusterName);
  const routes = buildRoutes(ctx).sort(byName);
  const listeners = buildListeners(ctx).sort(byName);
  const secrets = [...trustBundleSecrets(snapshot), ...gatewayCredentialSecrets(ctx)].sort(byName);
  // EnvoyFilter patches apply last, to the finished resources (Istio's order).
  const patched = applyEnvoyFilters(ctx, { listeners, routes, clusters, endpoints });
  return { ...patched, secrets, warnings };
}
