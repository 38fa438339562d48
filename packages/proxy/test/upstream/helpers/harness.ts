// A cluster manager wired for tests: in-memory stats, a fake clock, seeded randomness, captured log lines,
// and helpers that push CDS/EDS updates through the two-phase handlers as the xDS client would.
import assert from 'node:assert/strict';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import { isPrepareError } from '../../../src/config/resource-handler.ts';
import { ClusterManager } from '../../../src/upstream/cluster-manager.ts';
import type { ClusterView } from '../../../src/upstream/cluster-view.ts';
import type { DnsResolver } from '../../../src/upstream/discovery/dns-resolver.ts';
import { NO_SECRETS, type SecretProvider } from '../../../src/upstream/secret-provider.ts';
import { MemoryStats } from './memory-stats.ts';

export class FakeClock {
  #now = 1_000_000;
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** mulberry32: a small seeded PRNG so distributions are reproducible. */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Harness {
  readonly manager: ClusterManager;
  readonly stats: MemoryStats;
  readonly clock: FakeClock;
  readonly logs: string[];
}

export function harness(
  options: { dns?: DnsResolver; secrets?: SecretProvider; random?: () => number } = {},
): Harness {
  const stats = new MemoryStats();
  const clock = new FakeClock();
  const logs: string[] = [];
  const manager = new ClusterManager({
    stats,
    secrets: options.secrets ?? NO_SECRETS,
    clock,
    random: options.random ?? seededRandom(),
    ...(options.dns ? { dns: options.dns } : {}),
    log: (line) => logs.push(line),
  });
  return { manager, stats, clock, logs };
}

export function prepareClusters(manager: ClusterManager, clusters: readonly Cluster[]): string | undefined {
  const result = manager.clusterHandler.prepare(new Map(clusters.map((c) => [c.name, c])));
  if (isPrepareError(result)) return result.error;
  result.commit();
  return undefined;
}

export function applyClusters(manager: ClusterManager, clusters: readonly Cluster[]): void {
  const error = prepareClusters(manager, clusters);
  assert.equal(error, undefined, `CDS update rejected: ${error}`);
}

export function applyAssignments(
  manager: ClusterManager,
  assignments: readonly ClusterLoadAssignment[],
): void {
  const result = manager.endpointHandler.prepare(new Map(assignments.map((a) => [a.clusterName, a])));
  assert.ok(!isPrepareError(result), isPrepareError(result) ? result.error : '');
  result.commit();
}

export function view(manager: ClusterManager, name: string): ClusterView {
  const cluster = manager.cluster(name);
  assert.ok(cluster, `cluster ${name} exists`);
  return cluster;
}

/** How many times each host id is picked in `n` picks. */
export function pickCounts(
  cluster: ClusterView,
  n: number,
  hashKey?: (i: number) => string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const host = cluster.selectHost(hashKey ? { hashKey: hashKey(i) } : {});
    const id = host?.id ?? 'none';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (bounded), for state that changes on timers. */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await sleep(5);
  }
}
