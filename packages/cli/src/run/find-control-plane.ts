// Where `heddle run` finds the control plane: --control-plane (with --xds-address), else
// $HEDDLE_CONTROL_PLANE, else the running `heddle up` of the data directory (its state.json).
import { CliError } from '../cli-error.ts';
import { CONTROL_PLANE_ENV, resolveControlPlaneUrl } from '../client/control-plane-url.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { dataPaths } from '../up/data-home.ts';
import { runningPid } from '../up/pid-file.ts';
import { readUpState } from '../up/up-state.ts';

export interface ControlPlaneAddresses {
  /** The HTTP API. */
  readonly url: string;
  /** Plaintext xDS, `host:port`. */
  readonly xdsAddress: string;
}

/** istiod's plaintext xDS port, for a control plane given only by its HTTP URL. */
const DEFAULT_XDS_PORT = 15010;

export async function findControlPlane(
  options: { readonly controlPlane?: string; readonly xdsAddress?: string },
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): Promise<ControlPlaneAddresses> {
  const paths = dataPaths(dataDir);
  const state =
    (await runningPid(paths.pidFile)) !== undefined ? await readUpState(paths.stateFile) : undefined;
  const given = options.controlPlane ?? nonEmpty(env[CONTROL_PLANE_ENV]);
  const url =
    given !== undefined ? resolveControlPlaneUrl(options.controlPlane, env) : state?.controlPlane.url;
  if (url === undefined) {
    throw new CliError(
      `Heddle is not running for ${dataDir} (start it with \`heddle up\`, or give --control-plane)`,
      EXIT_CODES.UNAVAILABLE,
    );
  }
  const xdsAddress =
    options.xdsAddress ??
    (state !== undefined && state.controlPlane.url === url
      ? state.controlPlane.xdsAddress
      : `${new URL(url).host.replace(/:\d+$/, '')}:${DEFAULT_XDS_PORT}`);
  return { url, xdsAddress };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
