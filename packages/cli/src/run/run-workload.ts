// `heddle run`: registers a workload, starts its sidecar and waits until it is ready, then starts the app
// with the sidecar as its HTTP proxy. Signals go to the app; once it has exited the workload is deregistered
// and the sidecar stopped (so a batch job's last calls still pass), and `heddle run` exits with the app's code.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { constants } from 'node:os';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { keepWorkloadRegistered, type HeartbeatLoop } from '../client/workload-heartbeat.ts';
import { describeFsError } from '../input/describe-fs-error.ts';
import type { SignalTarget, StopSignal } from '../control/stop-signals.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeExit, type ChildExit } from '../supervisor/child-spec.ts';
import { ENTRY_POINTS } from '../supervisor/entry-points.ts';
import { logFilePath } from '../supervisor/log-file.ts';
import { DEFAULT_RESTART_POLICY } from '../supervisor/restart-backoff.ts';
import type { SupervisedChild } from '../supervisor/supervised-child.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { dataPaths, resolveDataHome } from '../up/data-home.ts';
import { allocatePorts } from '../up/free-ports.ts';
import { keepJoinToken, type JoinTokenKeeper, type JoinTokenKeeperOptions } from '../up/join-token-keeper.ts';
import { waitReady } from '../up/wait-ready.ts';
import { appEnv } from './app-env.ts';
import { findControlPlane } from './find-control-plane.ts';
import type { RunRequest } from './run-request.ts';
import { sidecarBootstrap, sidecarNodeId } from './sidecar-bootstrap.ts';
import { namespacePortList } from './transparent/namespace-ports.ts';
import { checkTransparentCapture, currentFacts } from './transparent/preflight.ts';
import { startTransparentWorkload, type TransparentWorkload } from './transparent/transparent-workload.ts';
import { linkWorkloadRevision, type WorkloadRevision } from './workload-revision.ts';
import { deregisterWorkload, registerWorkload, type Registered } from './workload-api.ts';

/** The workload's address: on one machine every workload shares loopback, told apart by port. */
const ADDRESS = '127.0.0.1';
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/** Resolves to the app's exit code (128 + n when a signal ended it), or Heddle's own code on failure. */
export async function runWorkload(request: RunRequest, io: CliIo, signals: SignalTarget): Promise<number> {
  const transparentCapture = request.capture === 'transparent';
  if (transparentCapture) checkTransparentCapture(currentFacts(io.env));
  const dataDir = resolveDataHome(request.dataDir, io.env, request.cwd);
  const controlPlane = await findControlPlane(request, io.env, dataDir);
  // Transparent: the workload's namespace is its own, so its ports are fixed rather than found free.
  const ports = transparentCapture
    ? namespacePortList(request.ports)
    : await allocatePorts(ADDRESS, [
        ...request.ports.map((spec) => ({ role: `mesh port ${spec.name}`, port: spec.meshPort })),
        ...request.ports.map((spec) => ({ role: `app port ${spec.name}`, port: spec.appPort })),
        { role: 'outbound HTTP proxy', port: request.outboundPort },
        { role: 'sidecar admin', port: 0 },
        { role: 'sidecar health', port: 0 },
        { role: 'sidecar merged metrics', port: 0 },
      ]);
  const count = request.ports.length;
  const appPorts = new Map<number, number>(
    request.ports.map((_, index) => [ports[index] ?? 0, ports[count + index] ?? 0]),
  );
  const [outboundPort = 0, adminPort = 0, healthPort = 0, metricsMergePort = 0] = ports.slice(2 * count);
  const registeredPorts = Object.fromEntries(
    request.ports.map((spec, index) => [spec.name, ports[index] ?? 0]),
  );
  const workload = `${request.name}.${request.namespace}`;

  // Signals are caught from here on: before the app runs they cancel the start, then they go to the app.
  let received: StopSignal | undefined;
  const cancel = new AbortController();
  let forward: (signal: StopSignal) => void = (signal) => {
    received ??= signal;
    cancel.abort();
  };
  const onSignal = (signal: StopSignal): void => forward(signal);
  for (const signal of STOP_SIGNALS) signals.on(signal, onSignal);

  let transparent: TransparentWorkload | undefined;
  if (transparentCapture) {
    try {
      transparent = await startTransparentWorkload({
        name: request.name,
        pid: process.pid,
        controlPlaneUrl: controlPlane.url,
        env: io.env,
        uid: process.getuid?.() ?? 0,
      });
    } catch (error) {
      for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
      throw error;
    }
  }
  /** Where the workload is: loopback, or (transparent) its namespace's address on the host's bridge. */
  const address = transparent?.address ?? ADDRESS;

  const supervisor = new Supervisor();
  let registered: Registered | undefined;
  let heartbeat: HeartbeatLoop | undefined;
  let token: JoinTokenKeeper | undefined;
  const registration = {
    name: request.name,
    namespace: request.namespace,
    address,
    ports: registeredPorts,
    labels: request.labels,
    serviceAccount: request.serviceAccount,
  };
  // The registration has a lease: heartbeat it, and register again if the control plane forgot it (restart,
  // or heartbeats missed while the machine was suspended).
  const keepAlive = (current: Registered): void => {
    if (current.leaseSeconds <= 0) return;
    heartbeat = keepWorkloadRegistered(controlPlane.url, current.id, {
      leaseSeconds: current.leaseSeconds,
      onLost: () => {
        registerWorkload(controlPlane.url, registration).then(
          (again) => {
            registered = again;
            keepAlive(again);
            if (again.joinToken !== undefined) void token?.use(again.joinToken).catch(() => undefined);
          },
          (error: unknown) =>
            io.stderr.write(
              `heddle: could not register ${workload} again: ${error instanceof Error ? error.message : String(error)}\n`,
            ),
        );
      },
    });
  };
  let revision: WorkloadRevision | undefined;
  try {
    revision = await linkWorkloadRevision({
      dataDir,
      name: request.name,
      namespace: request.namespace,
      labels: request.labels,
      ...(request.revision !== undefined ? { revision: request.revision } : {}),
      defaultXdsAddress: controlPlane.xdsAddress,
      ...(transparent ? { relayHost: transparent.relayHost } : {}),
    });
    registered = await registerWorkload(controlPlane.url, registration);
    keepAlive(registered);
    const workloadDir = join(dataPaths(dataDir).workloads, workload);
    if (registered.joinToken !== undefined) {
      // The registration's token starts the sidecar; the keeper replaces it before it expires, so that the
      // sidecar can renew its certificate (and start again) however long the app runs.
      token = await keepSidecarToken(workloadDir, registered.joinToken, {
        controlPlaneUrl: controlPlane.url,
        identity: { namespace: request.namespace, serviceAccount: request.serviceAccount },
        onError: (message) => void io.stderr.write(`heddle: ${workload}: ${message}\n`),
      });
    }
    // A transparent sidecar runs as uid 1337: its bootstrap and token live in a directory it owns.
    const tokenFile =
      token === undefined
        ? undefined
        : transparent
          ? await transparent.files.mirrorTokenFile(token.tokenFile)
          : token.tokenFile;
    const placeBootstrap = (bootstrap: Record<string, unknown>): Promise<string> =>
      transparent
        ? transparent.files.writeBootstrap(bootstrap)
        : writeBootstrap(join(workloadDir, 'bootstrap.json'), bootstrap);
    const bootstrapFile = await placeBootstrap({
      ...sidecarBootstrap({
        name: request.name,
        namespace: request.namespace,
        serviceAccount: request.serviceAccount,
        labels: request.labels,
        address,
        ...(transparent ? { capture: 'transparent' as const } : {}),
        // A relay to the revision's control plane, so `heddle upgrade` can move the sidecar.
        xdsAddress: revision.xdsAddress,
        outboundPort,
        appPorts,
        adminPort,
        healthPort,
        metricsMergePort,
        ...(request.appMetrics ? { appMetrics: request.appMetrics } : {}),
        ...(tokenFile !== undefined ? { tokenFile } : {}),
      }),
      ...revision.bootstrapExtras,
    });
    const sidecarLog = logFilePath(dataDir, `sidecar-${workload}`);
    let sidecarGaveUp: ChildExit | undefined;
    let app: SupervisedChild | undefined = undefined;
    const proxyArgv = [ENTRY_POINTS.proxy, '--bootstrap', bootstrapFile, '--log-level', request.logLevel];
    await supervisor.start(
      {
        name: `sidecar of ${workload}`,
        // Transparent: in the namespace as uid 1337, through `ip netns exec` and `setpriv`.
        kind: transparent ? 'command' : 'node',
        argv: transparent ? transparent.sidecarArgv(proxyArgv) : proxyArgv,
        ...(transparent ? { cwd: dirname(ENTRY_POINTS.proxy) } : {}),
        env: revision.sidecarEnv(childEnv(io.env)),
        logFile: sidecarLog,
        restart: DEFAULT_RESTART_POLICY,
        stopTimeoutMs: 10_000,
      },
      {
        onRestart: (exit, delayMs, restarts) => {
          // The restarted sidecar asks for a certificate at once: with a token issued now.
          void token?.refresh();
          io.stderr.write(
            `heddle: the sidecar of ${workload} stopped (${describeExit(exit)}); restarting in ` +
              `${(delayMs / 1000).toFixed(1)} s (restart ${restarts}, log ${sidecarLog})\n`,
          );
        },
        onGiveUp: (exit) => {
          sidecarGaveUp = exit;
          cancel.abort();
          io.stderr.write(
            `heddle: the sidecar of ${workload} keeps stopping (${describeExit(exit)}); stopping the app (log ${sidecarLog})\n`,
          );
          app?.signal('SIGTERM');
        },
      },
    );
    const ready = await waitReady(
      `http://${address}:${healthPort}/healthz/ready`,
      request.timeoutMs,
      cancel.signal,
    );
    if (received !== undefined) return 128 + constants.signals[received];
    if (ready !== 'ready') {
      const reason =
        sidecarGaveUp !== undefined
          ? `keeps stopping (${describeExit(sidecarGaveUp)})`
          : `was not ready within ${request.timeoutMs / 1000} s`;
      throw new CliError(`the sidecar of ${workload} ${reason}; see ${sidecarLog}`, EXIT_CODES.UNAVAILABLE);
    }

    const firstApp = request.ports.length > 0 ? ports[count] : undefined;
    app = await supervisor.start({
      name: workload,
      kind: 'command',
      argv: transparent ? transparent.appArgv(request.command) : request.command,
      env: appEnv(io.env, {
        name: request.name,
        namespace: request.namespace,
        serviceAccount: request.serviceAccount,
        ...(firstApp !== undefined ? { appPort: firstApp } : {}),
        appPorts,
        outboundPort,
        adminPort,
        controlPlaneUrl: transparent?.controlPlaneUrl ?? controlPlane.url,
        ...(transparent ? { capture: 'transparent' as const } : {}),
      }),
      cwd: request.cwd,
      // The app's last calls still go through the sidecar, which stops only after the app has exited.
      stopTimeoutMs: 10_000,
    });
    const running = app;
    forward = (signal) => running.signal(signal);
    io.stderr.write(
      transparent
        ? transparentReadyLine(workload, transparent, [...appPorts.keys()], sidecarLog)
        : readyLine(workload, appPorts, outboundPort, sidecarLog),
    );
    io.stderr.write(
      `heddle: merged Prometheus metrics of ${workload} at http://${address}:${metricsMergePort}/stats/prometheus\n`,
    );
    await revision.announce(sidecarNodeId({ address, ...request }), process);
    const exit = await running.done;
    if (sidecarGaveUp !== undefined) return EXIT_CODES.UNAVAILABLE;
    return exitCodeOf(exit);
  } finally {
    for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
    heartbeat?.stop();
    token?.close();
    if (registered !== undefined) {
      await deregisterWorkload(controlPlane.url, registered.id).catch((error: unknown) =>
        io.stderr.write(
          `heddle: could not deregister ${workload}: ${error instanceof Error ? error.message : String(error)}\n`,
        ),
      );
    }
    await supervisor.stopAll();
    await revision?.close();
    await transparent
      ?.close()
      .catch((error: unknown) =>
        io.stderr.write(
          `heddle: could not remove the network namespace of ${workload}: ${error instanceof Error ? error.message : String(error)}\n`,
        ),
      );
  }
}

async function keepSidecarToken(
  workloadDir: string,
  initialToken: string,
  options: Pick<JoinTokenKeeperOptions, 'controlPlaneUrl' | 'identity' | 'onError'>,
): Promise<JoinTokenKeeper | undefined> {
  const tokenFile = join(workloadDir, 'join-token');
  try {
    await mkdir(workloadDir, { recursive: true });
    return await keepJoinToken({ ...options, tokenFile, initialToken });
  } catch (error) {
    throw new CliError(
      `cannot write the sidecar's join token ${tokenFile}: ${describeFsError(error)}`,
      EXIT_CODES.CANNOT_CREATE,
    );
  }
}

async function writeBootstrap(path: string, bootstrap: Record<string, unknown>): Promise<string> {
  try {
    await mkdir(join(path, '..'), { recursive: true });
    // It may hold the join token: readable by its owner only.
    await writeFile(path, `${JSON.stringify(bootstrap, null, 2)}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
  } catch (error) {
    throw new CliError(
      `cannot write the sidecar bootstrap ${path}: ${describeFsError(error)}`,
      EXIT_CODES.CANNOT_CREATE,
    );
  }
  return path;
}

function readyLine(
  workload: string,
  appPorts: ReadonlyMap<number, number>,
  outboundPort: number,
  sidecarLog: string,
): string {
  const served = [...appPorts].map(([mesh, app]) => `mesh port ${mesh} → app 127.0.0.1:${app}`);
  const parts = [...served, `HTTP_PROXY http://127.0.0.1:${outboundPort}`, `sidecar log ${sidecarLog}`];
  return `heddle: ${workload} is in the mesh: ${parts.join(', ')}\n`;
}

function transparentReadyLine(
  workload: string,
  transparent: TransparentWorkload,
  servicePorts: readonly number[],
  sidecarLog: string,
): string {
  const parts = [
    `network namespace ${transparent.network.namespace}`,
    `address ${transparent.address}`,
    ...servicePorts.map((port) => `port ${port}`),
    'traffic captured by iptables',
    `sidecar log ${sidecarLog}`,
  ];
  return `heddle: ${workload} is in the mesh: ${parts.join(', ')}\n`;
}

/** As a shell reports it: the exit code, or 128 + the number of the signal that ended it. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  return 128 + (exit.signal ? constants.signals[exit.signal] : 0);
}

function childEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const copy = { ...env };
  delete copy.NODE_TEST_CONTEXT;
  return copy;
}
