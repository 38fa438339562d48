// The cluster manager: owns every cluster built from CDS (and the EDS assignments they use), answers the
// router's and tcp_proxy's `cluster(name)`, and describes clusters for the admin page. A cluster that CDS
// removes or replaces keeps serving its in-flight requests and closes its connections afterwards.
import { equals } from '@bufbuild/protobuf';
import { ClusterSchema, type Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import {
  ClusterLoadAssignmentSchema,
  type ClusterLoadAssignment,
} from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { ResourceHandler } from '../config/resource-handler.ts';
import type { Counter, Gauge, StatsSink } from '../stats/stats-sink.ts';
import { createClusterHandler } from './cds-handler.ts';
import { UpstreamCluster, type ClusterEnv } from './cluster.ts';
import type { ClusterManagerView, ClusterView } from './cluster-view.ts';
import type { CompiledCluster } from './config/compiled-cluster.ts';
import type { ClusterDescription } from './describe.ts';
import { type DnsResolver, systemResolver } from './discovery/dns-resolver.ts';
import { type AssignmentEntry, createEndpointHandler } from './eds-handler.ts';
import type { SecretProvider } from './secret-provider.ts';

export interface ClusterManagerOptions {
  readonly stats: StatsSink;
  readonly secrets: SecretProvider;
  readonly clock?: { now(): number };
  readonly random?: () => number;
  /** Resolves a DNS cluster's names; `family` is 4, 6 or 0 (either). Defaults to the system resolver. */
  readonly dns?: DnsResolver;
  /** Operational log lines (missing SDS secrets, DNS failures); defaults to console.warn. */
  readonly log?: (message: string) => void;
}

export class ClusterManager implements ClusterManagerView {
  readonly clusterHandler: ResourceHandler<Cluster>;
  readonly endpointHandler: ResourceHandler<ClusterLoadAssignment>;
  readonly #env: ClusterEnv;
  #clusters = new Map<string, UpstreamCluster>();
  #assignments: ReadonlyMap<string, AssignmentEntry> = new Map();
  readonly #activeClusters: Gauge;
  readonly #added: Counter;
  readonly #modified: Counter;
  readonly #removed: Counter;
  #closed = false;

  constructor(options: ClusterManagerOptions) {
    const clock = options.clock ?? Date;
    this.#env = {
      stats: options.stats,
      secrets: options.secrets,
      now: () => clock.now(),
      random: options.random ?? Math.random,
      dns: options.dns ?? systemResolver,
      log: options.log ?? ((message) => console.warn(`[heddle proxy] ${message}`)),
    };
    this.#activeClusters = options.stats.gauge('cluster_manager.active_clusters');
    this.#added = options.stats.counter('cluster_manager.cluster_added');
    this.#modified = options.stats.counter('cluster_manager.cluster_modified');
    this.#removed = options.stats.counter('cluster_manager.cluster_removed');
    this.clusterHandler = createClusterHandler({
      applyClusters: (clusters) => this.#applyClusters(clusters),
      edsServiceNames: () => this.#edsServiceNames(),
    });
    this.endpointHandler = createEndpointHandler({
      applyAssignments: (assignments) => this.#applyAssignments(assignments),
    });
  }

  cluster(name: string): ClusterView | undefined {
    return this.#clusters.get(name);
  }

  describe(): ClusterDescription[] {
    return [...this.#clusters.values()].map((c) => c.describe());
  }

  /** SDS secret names the current clusters use (for the SDS subscription). */
  secretNames(): string[] {
    const names = new Set<string>();
    for (const cluster of this.#clusters.values()) for (const name of cluster.secretNames()) names.add(name);
    return [...names].sort();
  }

  /** Stops every cluster; connections close once their in-flight requests finish. */
  close(): void {
    this.#closed = true;
    for (const cluster of this.#clusters.values()) cluster.close(true);
    this.#clusters.clear();
    this.#activeClusters.set(0);
  }

  #applyClusters(compiled: ReadonlyMap<string, CompiledCluster>): void {
    if (this.#closed) return;
    const next = new Map<string, UpstreamCluster>();
    for (const [name, config] of compiled) {
      const current = this.#clusters.get(name);
      if (current && equals(ClusterSchema, current.config.source, config.source)) {
        next.set(name, current);
        continue;
      }
      const cluster = new UpstreamCluster(config, this.#env);
      this.#seed(cluster);
      next.set(name, cluster);
      if (current) {
        this.#modified.inc();
        current.close(false);
      } else {
        this.#added.inc();
      }
    }
    for (const [name, cluster] of this.#clusters) {
      if (next.has(name)) continue;
      this.#removed.inc();
      cluster.close(true);
    }
    this.#clusters = next;
    this.#activeClusters.set(next.size);
  }

  #applyAssignments(assignments: ReadonlyMap<string, AssignmentEntry>): void {
    if (this.#closed) return;
    const previous = this.#assignments;
    this.#assignments = assignments;
    for (const cluster of this.#clusters.values()) {
      const service = cluster.config.discovery.edsServiceName;
      if (service === undefined) continue;
      const before = previous.get(service);
      const after = assignments.get(service);
      if (before && after && equals(ClusterLoadAssignmentSchema, before.source, after.source)) continue;
      if (!before && !after) continue;
      cluster.setEndpoints(after?.compiled.endpoints ?? [], after?.compiled.overprovisioningFactor);
    }
  }

  /** A new EDS cluster starts with the assignment already received for its service name. */
  #seed(cluster: UpstreamCluster): void {
    const service = cluster.config.discovery.edsServiceName;
    if (service === undefined) return;
    const entry = this.#assignments.get(service);
    if (entry) cluster.setEndpoints(entry.compiled.endpoints, entry.compiled.overprovisioningFactor);
  }

  #edsServiceNames(): string[] {
    const names = new Set<string>();
    for (const cluster of this.#clusters.values()) {
      const service = cluster.config.discovery.edsServiceName;
      if (service !== undefined) names.add(service);
    }
    return [...names].sort();
  }
}
