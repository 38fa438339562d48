// `heddle uninstall`: removes one revision (its control plane stops, its meshConfig ConfigMap goes), refusing
// while workloads or gateways still follow it; `--purge` removes every installation and stops Heddle.
import { rm } from 'node:fs/promises';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { ControlPlaneClient } from '../client/control-plane-client.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { runDown } from '../up/run-down.ts';
import {
  describeRevision,
  installPaths,
  readGatewayRevision,
  readInstalledProfiles,
  removeInstalledProfile,
} from './install-state.ts';
import { CONTROL_PLANE_NAMESPACE, meshConfigMapName } from './mesh-config-map.ts';
import { listRunningWorkloads } from './mesh-workloads.ts';
import { findRunningMesh, reconcileAndWait } from './running-mesh.ts';

export interface UninstallRequest {
  readonly dataDir: string;
  /** Normalized ('' for the default). */
  readonly revision: string;
  readonly purge: boolean;
  readonly timeoutMs: number;
  readonly cwd: string;
}

export async function runUninstall(request: UninstallRequest, io: CliIo): Promise<ExitCode> {
  const { dataDir } = request;
  const state = await findRunningMesh(dataDir);
  if (request.purge) {
    const profiles = await readInstalledProfiles(dataDir);
    if (state) {
      const client = new ControlPlaneClient(state.controlPlane.url);
      for (const { plan } of profiles)
        await client
          .deleteResource({
            kind: 'ConfigMap',
            namespace: CONTROL_PLANE_NAMESPACE,
            name: meshConfigMapName(plan.revision),
          })
          .catch(() => false);
    }
    await rm(installPaths(dataDir).root, { recursive: true, force: true });
    io.stdout.write(
      `✔ Removed ${profiles.length} installation${profiles.length === 1 ? '' : 's'} from ${dataDir}\n`,
    );
    if (state) return runDown({ dataDir, timeoutMs: request.timeoutMs, cwd: request.cwd }, io);
    return EXIT_CODES.OK;
  }

  const { revision } = request;
  const users = [
    ...(await listRunningWorkloads(dataDir))
      .filter((workload) => workload.revision === revision)
      .map((workload) => `${workload.name}.${workload.namespace}`),
    ...((await readGatewayRevision(dataDir)) === revision && revision !== '' ? ['the gateways'] : []),
  ];
  if (users.length > 0)
    throw new CliError(
      `${describeRevision(revision)} still serves ${users.join(', ')}; move them first (heddle upgrade --revision <other>)`,
      EXIT_CODES.UNAVAILABLE,
    );
  const existed = await removeInstalledProfile(dataDir, revision);
  if (!existed) {
    io.stdout.write(`${describeRevision(revision)} is not installed in ${dataDir}\n`);
    return EXIT_CODES.OK;
  }
  if (state) {
    await new ControlPlaneClient(state.controlPlane.url)
      .deleteResource({
        kind: 'ConfigMap',
        namespace: CONTROL_PLANE_NAMESPACE,
        name: meshConfigMapName(revision),
      })
      .catch(() => false);
    await reconcileAndWait(
      dataDir,
      state,
      (running) => revision === '' || running.revisions[revision] === undefined,
      request.timeoutMs,
    );
  }
  io.stdout.write(`✔ Uninstalled ${describeRevision(revision)}\n`);
  return EXIT_CODES.OK;
}
