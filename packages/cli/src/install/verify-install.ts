// `heddle verify-install`: checks that what runs matches the install — each revision's control plane ready
// and reading its meshConfig, each gateway ready and SYNCED with the control plane it follows — one line per
// check as istioctl prints them, and a non-zero exit when anything differs.
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import type { CliIo } from '../cli-io.ts';
import { ControlPlaneClient } from '../client/control-plane-client.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import type { InstallPlan } from './install-plan.ts';
import { planInstall } from './install-plan.ts';
import { readInstalledProfiles, readRunningInstall, type RunningGateway } from './install-state.ts';
import { CONTROL_PLANE_NAMESPACE, meshConfigMapName } from './mesh-config-map.ts';
import { findRunningMesh } from './running-mesh.ts';

export interface VerifyRequest {
  readonly dataDir: string;
  /** What to check against; the installed profiles when absent. */
  readonly plans?: readonly InstallPlan[];
}

interface Check {
  readonly ok: boolean;
  readonly line: string;
}

const TIMEOUT_MS = 5_000;

export async function runVerifyInstall(request: VerifyRequest, io: CliIo): Promise<ExitCode> {
  const state = await findRunningMesh(request.dataDir);
  if (!state) {
    io.stdout.write(`✘ Heddle is not running for ${request.dataDir}\n`);
    return EXIT_CODES.UNAVAILABLE;
  }
  const installed = (await readInstalledProfiles(request.dataDir)).map((profile) => profile.plan);
  const plans = request.plans ?? (installed.length > 0 ? installed : [planInstall({}, undefined)]);
  const running = await readRunningInstall(request.dataDir);
  const checks: Check[] = [
    { ok: true, line: `Heddle is running (pid ${state.pid}, data directory ${request.dataDir})` },
  ];
  for (const plan of plans) {
    const revision = running?.revisions[plan.revision];
    const deployment = plan.revision === '' ? 'istiod' : `istiod-${plan.revision}`;
    if (!revision) {
      checks.push({
        ok: false,
        line: `Deployment: ${deployment}.${CONTROL_PLANE_NAMESPACE} is not running (not installed?)`,
      });
      continue;
    }
    const ready = await answers200(`${revision.url}/ready`);
    checks.push({
      ok: ready,
      line: `Deployment: ${deployment}.${CONTROL_PLANE_NAMESPACE} ${ready ? 'checked successfully' : 'is not ready'} (${revision.url})`,
    });
    checks.push(await checkMeshConfig(revision.url, plan));
    for (const gateway of plan.gateways.filter((entry) => entry.enabled)) {
      const runningGateway = running?.gateways.find((entry) => entry.name === gateway.name);
      checks.push(await checkGateway(gateway.name, gateway.namespace, runningGateway, running?.revisions));
    }
  }
  for (const check of checks) io.stdout.write(`${check.ok ? '✔' : '✘'} ${check.line}\n`);
  const failed = checks.filter((check) => !check.ok).length;
  if (failed === 0) {
    io.stdout.write('✔ Heddle is installed and verified successfully\n');
    return EXIT_CODES.OK;
  }
  io.stdout.write(
    `✘ ${failed} check${failed === 1 ? '' : 's'} failed: the running mesh does not match the installation\n`,
  );
  return EXIT_CODES.FINDINGS;
}

/** The control plane of the revision reads `istio` (a revision's view maps its own istio-<rev> to it). */
async function checkMeshConfig(url: string, plan: InstallPlan): Promise<Check> {
  const name = `ConfigMap: ${meshConfigMapName(plan.revision)}.${CONTROL_PLANE_NAMESPACE}`;
  let stored;
  try {
    stored = await new ControlPlaneClient(url, TIMEOUT_MS).get({
      kind: 'ConfigMap',
      namespace: CONTROL_PLANE_NAMESPACE,
      name: 'istio',
    });
  } catch {
    return { ok: false, line: `${name} could not be read from ${url}` };
  }
  const data = stored?.data as { mesh?: unknown } | undefined;
  if (typeof data?.mesh !== 'string')
    return { ok: false, line: `${name} is missing: the meshConfig was not applied` };
  const applied: unknown = parse(data.mesh) ?? {};
  if (isDeepStrictEqual(applied, plan.meshConfig)) return { ok: true, line: `${name} checked successfully` };
  const differing = Object.keys({ ...(applied as object), ...plan.meshConfig }).filter(
    (key) => !isDeepStrictEqual((applied as Record<string, unknown>)[key], plan.meshConfig[key]),
  );
  return { ok: false, line: `${name} differs from the IstioOperator in ${differing.join(', ')}` };
}

async function checkGateway(
  name: string,
  namespace: string,
  gateway: RunningGateway | undefined,
  revisions: Readonly<Record<string, { readonly url: string }>> | undefined,
): Promise<Check> {
  const label = `Deployment: ${name}.${namespace}`;
  if (!gateway) return { ok: false, line: `${label} is not running` };
  const ready = await answers200(`http://${gateway.address}:${gateway.healthPort}/healthz/ready`);
  if (!ready) return { ok: false, line: `${label} is not ready` };
  const controlPlane = revisions?.[gateway.revision];
  const deployment = gateway.revision === '' ? 'istiod' : `istiod-${gateway.revision}`;
  if (!controlPlane) return { ok: false, line: `${label} follows ${deployment}, which is not running` };
  const statuses = await new ControlPlaneClient(controlPlane.url, TIMEOUT_MS).proxyStatuses().catch(() => []);
  const status = statuses.find((entry) => entry.proxy === gateway.nodeId);
  if (!status) return { ok: false, line: `${label} is not connected to ${deployment}` };
  const unsynced = status.types.filter((type) => type.status === 'STALE' || type.status === 'NACKED');
  if (unsynced.length > 0)
    return {
      ok: false,
      line: `${label} is not SYNCED with ${deployment} (${unsynced.map((type) => `${type.type} ${type.status}`).join(', ')})`,
    };
  return { ok: true, line: `${label} checked successfully (ready, SYNCED with ${deployment})` };
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
