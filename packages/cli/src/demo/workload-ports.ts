// Where a demo workload ended up listening: `heddle run` picks free ports and writes them into the sidecar's
// bootstrap (`<data-dir>/workloads/<name>.<namespace>/bootstrap.json`), which is where the demo reads them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataPaths } from '../up/data-home.ts';
import { DEMO_NAMESPACE } from './demo-workloads.ts';

export interface WorkloadPorts {
  /** The sidecar's mTLS port for mesh traffic; 0 for a workload that serves nothing. */
  readonly meshPort: number;
  /** The app's loopback port behind it; 0 likewise. */
  readonly appPort: number;
  /** The sidecar's HTTP proxy port (the app's HTTP_PROXY). */
  readonly outboundPort: number;
  /** The sidecar's admin port: config dump, `/stats/prometheus`. */
  readonly adminPort: number;
}

interface SidecarBootstrap {
  readonly node?: {
    readonly metadata?: { readonly HEDDLE_APP_PORTS?: string; readonly HEDDLE_OUTBOUND_PORT?: string };
  };
  readonly admin?: { readonly port?: number };
}

export function bootstrapPath(dataDir: string, workload: string): string {
  return join(dataPaths(dataDir).workloads, `${workload}.${DEMO_NAMESPACE}`, 'bootstrap.json');
}

/** Undefined until the workload's `heddle run` has written its bootstrap. */
export async function readWorkloadPorts(
  dataDir: string,
  workload: string,
): Promise<WorkloadPorts | undefined> {
  let bootstrap: SidecarBootstrap;
  try {
    bootstrap = JSON.parse(await readFile(bootstrapPath(dataDir, workload), 'utf8')) as SidecarBootstrap;
  } catch {
    return undefined;
  }
  const metadata = bootstrap.node?.metadata ?? {};
  // `mesh=app` pairs; the demo's workloads serve one port at most.
  const [mesh = '0', app = '0'] = (metadata.HEDDLE_APP_PORTS ?? '').split(',')[0]?.split('=') ?? [];
  return {
    meshPort: Number(mesh) || 0,
    appPort: Number(app) || 0,
    outboundPort: Number(metadata.HEDDLE_OUTBOUND_PORT) || 0,
    adminPort: bootstrap.admin?.port ?? 0,
  };
}

/** Polls until the bootstrap is there; undefined when the time runs out or the caller gives up. */
export async function waitWorkloadPorts(
  dataDir: string,
  workload: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<WorkloadPorts | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted && Date.now() < deadline) {
    const ports = await readWorkloadPorts(dataDir, workload);
    if (ports) return ports;
    await sleep(200, undefined, { signal }).catch(() => undefined);
  }
  return undefined;
}
