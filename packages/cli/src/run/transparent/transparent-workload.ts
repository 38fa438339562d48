// Everything `heddle run --capture transparent` sets up around a workload, as Istio's injector and init
// container do for a pod: the workload's network namespace, the capture rules in it, relays that make the
// control plane reachable from inside, and the sidecar's own files; how the sidecar (uid 1337) and the app
// (the invoking user) are started in it; and the teardown that leaves nothing behind.
import { CliError } from '../../cli-error.ts';
import { EXIT_CODES } from '../../exit-codes.ts';
import { startXdsRelay, type XdsRelay } from '../../install/xds-relay.ts';
import { appUserOptions } from './app-user.ts';
import { captureRules, HEALTH_PORT, PROXY_UID } from './capture-rules.ts';
import { METRICS_MERGE_PORT } from './namespace-ports.ts';
import { createSidecarFiles, type SidecarFiles } from './sidecar-files.ts';
import { createWorkloadNetwork, type WorkloadNetwork } from './workload-network.ts';

export interface TransparentWorkload {
  readonly network: WorkloadNetwork;
  /** The namespace's address: registered, and the sidecar's INSTANCE_IPS. */
  readonly address: string;
  /** The control plane's HTTP API as the namespace reaches it: a relay on the host's bridge address. */
  readonly controlPlaneUrl: string;
  /** Where the sidecar's xDS relay listens: the host's bridge address. */
  readonly relayHost: string;
  readonly files: SidecarFiles;
  /** A Node entry point and its arguments, run in the namespace as the sidecar's uid. */
  sidecarArgv(nodeArgv: readonly string[]): string[];
  /** The app's command, run in the namespace as the invoking user. */
  appArgv(command: readonly string[]): string[];
  close(): Promise<void>;
}

export interface TransparentWorkloadInput {
  readonly name: string;
  readonly pid: number;
  /** The control plane's HTTP API as this host reaches it. */
  readonly controlPlaneUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
}

export async function startTransparentWorkload(
  input: TransparentWorkloadInput,
): Promise<TransparentWorkload> {
  const userOptions = appUserOptions(input.env, input.uid);
  const network = await createWorkloadNetwork({ name: input.name, pid: input.pid });
  let relay: XdsRelay | undefined;
  let files: SidecarFiles | undefined;
  const close = async (): Promise<void> => {
    await relay?.close();
    await files?.close();
    await network.close();
  };
  try {
    await network.installRules(
      captureRules({
        proxyUid: PROXY_UID,
        // The host polls readiness and the control plane scrapes metrics: those go to the sidecar itself.
        inboundExcludedPorts: [HEALTH_PORT, METRICS_MERGE_PORT],
        // The control plane's relays on the host: reached directly, as istiod is.
        outboundExcludedAddresses: [`${network.hostAddress}/32`],
      }),
    );
    const api = new URL(input.controlPlaneUrl);
    const apiPort = api.port !== '' ? api.port : api.protocol === 'https:' ? '443' : '80';
    relay = await startXdsRelay(`${api.hostname}:${apiPort}`, network.hostAddress);
    files = await createSidecarFiles(PROXY_UID);
    const relayUrl = `${api.protocol}//${relay.address}`;
    const sidecarFiles = files;
    return {
      network,
      address: network.address,
      controlPlaneUrl: relayUrl,
      relayHost: network.hostAddress,
      files: sidecarFiles,
      sidecarArgv: (nodeArgv) =>
        network.inside([
          'setpriv',
          `--reuid=${PROXY_UID}`,
          `--regid=${PROXY_UID}`,
          '--clear-groups',
          '--',
          process.execPath,
          ...nodeArgv,
        ]),
      // setpriv even with nothing to change: it exits 127 for a command that does not exist, as a shell does.
      appArgv: (command) => network.inside(['setpriv', ...userOptions, '--', ...command]),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    if (error instanceof CliError) throw error;
    throw new CliError(
      `cannot prepare the transparent workload ${input.name}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.UNAVAILABLE,
    );
  }
}
