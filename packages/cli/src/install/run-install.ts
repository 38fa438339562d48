// `heddle install`: reads and checks the IstioOperator, stores the install in the data directory, starts
// Heddle (or has the running one apply it), writes the meshConfig ConfigMap, and reports what applied.
// A broken IstioOperator stops everything before anything is written or started.
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { ControlPlaneClient } from '../client/control-plane-client.ts';
import { prepareDataDir } from '../control/prepare-data-dir.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { findingLines } from '../output/finding-lines.ts';
import { wantsColor } from '../output/render-report.ts';
import { resolveDataHome } from '../up/data-home.ts';
import { runDetachedUp } from '../up/detach-up.ts';
import type { UpRequest } from '../up/up-request.ts';
import { installReport } from './install-report.ts';
import { planInstall, type InstallPlan } from './install-plan.ts';
import { describeRevision, normalizeRevision, writeInstalledProfile } from './install-state.ts';
import { meshConfigMapYaml } from './mesh-config-map.ts';
import { readOperator } from './read-operator.ts';
import { findRunningMesh, reconcileAndWait, waitForRunning } from './running-mesh.ts';
import { parseSetOverride } from './set-overrides.ts';
import { runVerifyInstall } from './verify-install.ts';

export interface InstallRequest {
  readonly files: readonly string[];
  readonly sets: readonly string[];
  readonly revision?: string;
  readonly verify: boolean;
  readonly output: 'text' | 'json';
  /** How heddle up is started when it is not running yet (its data directory, ports, timeout). */
  readonly up: UpRequest;
}

export async function runInstall(request: InstallRequest, io: CliIo): Promise<ExitCode> {
  const overrides = request.sets.map(parseSetOverride);
  const input = await readOperator(request.files, overrides, io.stdin);
  if (input.failed) {
    const errors = input.findings.filter((finding) => finding.level === 'Error');
    io.stderr.write(findingLines(errors, wantsColor(io.stderr.isTTY, io.env)));
    throw new CliError(
      `the IstioOperator is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was installed`,
      EXIT_CODES.FINDINGS,
    );
  }
  const revision = request.revision !== undefined ? normalizeRevision(request.revision) : undefined;
  const plan = planInstall(input.spec, input.name, revision);
  const dataDir = await prepareDataDir(
    resolveDataHome(request.up.dataDir, io.env, request.up.cwd),
    request.up.cwd,
  );
  await writeInstalledProfile(dataDir, {
    version: 1,
    installedAt: new Date().toISOString(),
    origins: input.origins,
    plan,
  });

  let state = await findRunningMesh(dataDir);
  const applied = (running: {
    revisions: Readonly<Record<string, unknown>>;
    gateways: readonly { name: string }[];
  }): boolean =>
    running.revisions[plan.revision] !== undefined &&
    plan.gateways.every(
      (gateway) => !gateway.enabled || running.gateways.some((entry) => entry.name === gateway.name),
    );
  if (state) {
    await reconcileAndWait(dataDir, state, applied, request.up.timeoutMs * 2);
  } else {
    // heddle up's own summary is not the install's output; it goes with the progress lines.
    const code = await runDetachedUp(request.up, { ...io, stdout: io.stderr });
    if (code !== EXIT_CODES.OK) return code;
    state = await findRunningMesh(dataDir);
    if (!state) throw new CliError('Heddle did not start', EXIT_CODES.UNAVAILABLE);
    await waitForRunning(dataDir, applied, request.up.timeoutMs);
  }
  await applyMeshConfig(state.controlPlane.url, plan);

  if (request.output === 'json') {
    io.stdout.write(`${JSON.stringify({ dataDir, origins: input.origins, ignored: input.ignored, plan })}\n`);
  } else {
    const lines = installReport(plan, input);
    lines.push(`✔ Installation complete: ${describeRevision(plan.revision)} (data directory ${dataDir})`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (!request.verify) return EXIT_CODES.OK;
  return runVerifyInstall({ dataDir, plans: [plan] }, io);
}

async function applyMeshConfig(url: string, plan: InstallPlan): Promise<void> {
  const client = new ControlPlaneClient(url);
  const result = await client.apply({ name: 'heddle install', text: meshConfigMapYaml(plan) });
  if ('refused' in result || !('applied' in result)) {
    throw new CliError(
      `the control plane refused the meshConfig ConfigMap: ${JSON.stringify(result).slice(0, 300)}`,
      EXIT_CODES.FINDINGS,
    );
  }
}
