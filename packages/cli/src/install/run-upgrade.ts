// `heddle upgrade --revision R`: the canary upgrade's second half. Every workload started by `heddle run`
// moves to revision R's control plane, one at a time, each waited for until its sidecar is SYNCED there; then
// the gateways move. The proxies are not restarted: each follows its xDS relay to the new control plane and
// keeps serving on its last config meanwhile, so traffic does not stop. `--rollback` moves everything back to
// where the last upgrade took it from.
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { FOLLOW_SIGNAL, type WorkloadRunRecord } from '../run/workload-revision.ts';
import {
  describeRevision,
  installPaths,
  readGatewayRevision,
  readJsonFile,
  readRunningInstall,
  writeGatewayRevision,
  writeJsonFile,
} from './install-state.ts';
import { listRunningWorkloads, syncStateOf, type RunningWorkload } from './mesh-workloads.ts';
import { reconcileAndWait, requireRunningMesh } from './running-mesh.ts';
import { runVerifyInstall } from './verify-install.ts';

export interface UpgradeRequest {
  readonly dataDir: string;
  /** Normalized ('' for the default); absent with `rollback`. */
  readonly revision?: string;
  readonly rollback: boolean;
  readonly verify: boolean;
  /** How long one workload or gateway may take to be SYNCED on the new revision. */
  readonly timeoutMs: number;
}

interface LastUpgrade {
  readonly from: string;
  readonly to: string;
}

export async function runUpgrade(request: UpgradeRequest, io: CliIo): Promise<ExitCode> {
  const state = await requireRunningMesh(request.dataDir);
  const paths = installPaths(request.dataDir);
  const previous = await readGatewayRevision(request.dataDir);
  let target = request.revision;
  if (request.rollback) {
    const last = await readJsonFile<LastUpgrade>(paths.lastUpgrade);
    if (!last) throw new CliError('there is no upgrade to roll back', EXIT_CODES.NOT_FOUND);
    target = last.from;
  }
  if (target === undefined) throw new CliError('give --revision or --rollback', EXIT_CODES.USAGE);
  const running = await readRunningInstall(request.dataDir);
  const controlPlane = running?.revisions[target];
  if (!running || !controlPlane)
    throw new CliError(
      `${describeRevision(target)} is not running; install it first (heddle install --revision ${target || 'default'})`,
      EXIT_CODES.NOT_FOUND,
    );
  io.stdout.write(`Upgrading to ${describeRevision(target)} (control plane ${controlPlane.url})\n`);

  for (const workload of await listRunningWorkloads(request.dataDir)) {
    if (workload.revision === target) continue;
    await moveWorkload(workload, target, controlPlane.url, request.timeoutMs);
    io.stdout.write(
      `✔ ${workload.name}.${workload.namespace}: ${describeRevision(workload.revision)} → ${describeRevision(target)}, SYNCED\n`,
    );
  }

  await writeGatewayRevision(request.dataDir, target);
  const moved = await reconcileAndWait(
    request.dataDir,
    state,
    (now) => now.gateways.every((gateway) => gateway.revision === target),
    request.timeoutMs,
  );
  for (const gateway of moved.gateways) {
    await waitSynced(controlPlane.url, gateway.nodeId, request.timeoutMs, `the gateway ${gateway.name}`);
    io.stdout.write(
      `✔ gateway ${gateway.name}.${gateway.namespace}: follows ${describeRevision(target)}, SYNCED\n`,
    );
  }
  if (!request.rollback && previous !== target)
    await writeJsonFile(paths.lastUpgrade, { from: previous, to: target } satisfies LastUpgrade);
  io.stdout.write(`✔ Upgrade complete: the mesh follows ${describeRevision(target)}\n`);
  return request.verify ? runVerifyInstall({ dataDir: request.dataDir }, io) : EXIT_CODES.OK;
}

async function moveWorkload(
  workload: RunningWorkload,
  target: string,
  controlPlaneUrl: string,
  timeoutMs: number,
): Promise<void> {
  await writeJsonFile(join(workload.dir, 'revision.json'), { revision: target });
  process.kill(workload.pid, FOLLOW_SIGNAL);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await readJsonFile<WorkloadRunRecord>(join(workload.dir, 'run.json'));
    if (record?.revision === target) break;
    if (Date.now() > deadline || record === undefined)
      throw new CliError(
        `${workload.name}.${workload.namespace} did not move to ${describeRevision(target)}`,
        EXIT_CODES.UNAVAILABLE,
      );
    await sleep(100);
  }
  await waitSynced(
    controlPlaneUrl,
    workload.nodeId,
    deadline - Date.now(),
    `${workload.name}.${workload.namespace}`,
  );
}

async function waitSynced(url: string, nodeId: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + Math.max(timeoutMs, 1_000);
  let last = '';
  while (Date.now() < deadline) {
    last = await syncStateOf(url, nodeId);
    if (last === 'SYNCED') return;
    await sleep(100);
  }
  throw new CliError(
    `${what} is ${last} on the new control plane after ${timeoutMs / 1000} s`,
    EXIT_CODES.UNAVAILABLE,
  );
}
