// CDS: every Cluster of an update compiled in prepare (any error NACKs the whole update with the cluster
// and field named); commit hands the compiled set to the cluster manager.
import { CLUSTER_TYPE_URL } from '@heddle/xds';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { PrepareResult, ResourceHandler } from '../config/resource-handler.ts';
import { compileCluster } from './config/compile-cluster.ts';
import type { CompiledCluster } from './config/compiled-cluster.ts';
import { ClusterConfigError } from './config/config-error.ts';

export interface ClusterSink {
  applyClusters(clusters: ReadonlyMap<string, CompiledCluster>): void;
  edsServiceNames(): readonly string[];
}

export function createClusterHandler(sink: ClusterSink): ResourceHandler<Cluster> {
  return {
    typeUrl: CLUSTER_TYPE_URL,
    prepare(resources): PrepareResult {
      const compiled = new Map<string, CompiledCluster>();
      for (const [name, cluster] of resources) {
        try {
          if (cluster.name !== name) {
            return { error: `cluster '${name}': name: the resource is named '${cluster.name}'` };
          }
          compiled.set(name, compileCluster(cluster));
        } catch (err) {
          if (err instanceof ClusterConfigError) return { error: err.message };
          return { error: `cluster '${name}': ${(err as Error).message}` };
        }
      }
      return { commit: () => sink.applyClusters(compiled) };
    },
    dependencies: () => sink.edsServiceNames(),
  };
}
