// The workloads `heddle run` runs for a data directory, as their run.json files say, and whether a proxy is
// connected and SYNCED with a given control plane.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ControlPlaneClient } from '../client/control-plane-client.ts';
import { dataPaths } from '../up/data-home.ts';
import type { WorkloadRunRecord } from '../run/workload-revision.ts';
import { readJsonFile } from './install-state.ts';

export interface RunningWorkload extends WorkloadRunRecord {
  /** Its folder under <dataDir>/workloads. */
  readonly dir: string;
}

export async function listRunningWorkloads(dataDir: string): Promise<RunningWorkload[]> {
  const root = dataPaths(dataDir).workloads;
  const names = await readdir(root).catch(() => [] as string[]);
  const workloads: RunningWorkload[] = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    const record = await readJsonFile<WorkloadRunRecord>(join(dir, 'run.json'));
    if (record && typeof record.pid === 'number' && isAlive(record.pid)) workloads.push({ ...record, dir });
  }
  return workloads;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type SyncState = 'SYNCED' | 'NOT CONNECTED' | 'STALE' | 'NACKED';

/** SYNCED once the proxy is connected and holds everything the control plane sent it. */
export async function syncStateOf(controlPlaneUrl: string, nodeId: string): Promise<SyncState> {
  const statuses = await new ControlPlaneClient(controlPlaneUrl, 5_000).proxyStatuses().catch(() => []);
  const status = statuses.find((entry) => entry.proxy === nodeId);
  if (!status) return 'NOT CONNECTED';
  if (status.types.some((type) => type.status === 'NACKED')) return 'NACKED';
  if (status.types.length === 0 || status.types.some((type) => type.status === 'STALE')) return 'STALE';
  return 'SYNCED';
}
