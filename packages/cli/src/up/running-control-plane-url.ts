// Where a command that may follow `heddle up` finds the control plane: --control-plane or
// $HEDDLE_CONTROL_PLANE when given, else the one a running `heddle up` of the data directory reports, else
// the default address.
import { CONTROL_PLANE_ENV, resolveControlPlaneUrl } from '../client/control-plane-url.ts';
import { dataPaths, resolveDataHome } from './data-home.ts';
import { runningPid } from './pid-file.ts';
import { readUpState } from './up-state.ts';

export interface ControlPlaneChoice {
  readonly controlPlane?: string;
  readonly dataDir?: string;
}

export async function runningControlPlaneUrl(
  options: ControlPlaneChoice,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  if (options.controlPlane !== undefined || (env[CONTROL_PLANE_ENV] ?? '') !== '')
    return resolveControlPlaneUrl(options.controlPlane, env);
  const paths = dataPaths(resolveDataHome(options.dataDir, env, process.cwd()));
  const state =
    (await runningPid(paths.pidFile)) !== undefined ? await readUpState(paths.stateFile) : undefined;
  return state?.controlPlane.url ?? resolveControlPlaneUrl(undefined, env);
}
