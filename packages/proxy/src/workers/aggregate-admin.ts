// `/clusters` and `/listeners` over the workers: each worker has the same clusters and listeners (the same
// config); host counters and gauges are summed, and a host is flagged when any worker flags it (outlier
// detection and health checks run per worker process).
import type { ClusterHostInfo, ClusterInfo, ListenerInfo } from '../admin/admin-sources.ts';
import type { WorkerDescription } from './worker-protocol.ts';

export function aggregateClusters(workers: readonly WorkerDescription[]): ClusterInfo[] {
  const clusters = new Map<string, { info: ClusterInfo; hosts: Map<string, ClusterHostInfo> }>();
  for (const worker of workers)
    for (const cluster of worker.clusters) {
      let entry = clusters.get(cluster.name);
      if (!entry) {
        entry = { info: cluster, hosts: new Map() };
        clusters.set(cluster.name, entry);
      }
      for (const host of cluster.hosts) {
        const key = `${host.address}|${host.port}`;
        const seen = entry.hosts.get(key);
        entry.hosts.set(key, seen ? mergeHost(seen, host) : host);
      }
    }
  return [...clusters.values()].map(({ info, hosts }) => ({ ...info, hosts: [...hosts.values()] }));
}

function mergeHost(a: ClusterHostInfo, b: ClusterHostInfo): ClusterHostInfo {
  const stats: Record<string, number> = { ...a.stats };
  for (const [name, value] of Object.entries(b.stats ?? {})) stats[name] = (stats[name] ?? 0) + value;
  const flags = [...new Set([...(a.healthFlags ?? []), ...(b.healthFlags ?? [])])];
  return { ...a, stats, healthFlags: flags };
}

/** Every worker binds the same listeners (one socket each, SO_REUSEPORT): listed once by name. */
export function aggregateListeners(workers: readonly WorkerDescription[]): ListenerInfo[] {
  const listeners = new Map<string, ListenerInfo>();
  for (const worker of workers)
    for (const listener of worker.listeners)
      if (!listeners.has(listener.name) || !listeners.get(listener.name)?.boundAddress)
        listeners.set(listener.name, listener);
  return [...listeners.values()];
}
