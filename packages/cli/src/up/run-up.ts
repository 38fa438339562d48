// `heddle up` in the foreground: the supervisor of the control plane and the ingress gateway. Starts them
// in order, each once the previous is ready, prints where they listen, and on SIGINT/SIGTERM stops them in
// reverse order. Every failure before "ready" stops what was started, so nothing is left half running.
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { clientUrl, formatAddress } from '../control/listen-address.ts';
import { prepareDataDir } from '../control/prepare-data-dir.ts';
import type { ProcessHooks } from '../control/run-control.ts';
import { watchStopSignals, type StopSignal } from '../control/stop-signals.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { describeExit, type ChildExit } from '../supervisor/child-spec.ts';
import { logFilePath } from '../supervisor/log-file.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { chooseUpPorts } from './choose-ports.ts';
import { dataPaths, resolveDataHome } from './data-home.ts';
import { gatewayPortOffset } from './gateway-port-map.ts';
import { acquirePidFile, releasePidFile } from './pid-file.ts';
import { ProgressLines } from './progress-lines.ts';
import { upComponents, type UpComponent, type UpPorts } from './up-components.ts';
import { prepareGatewayFiles } from './prepare-gateway.ts';
import { describeFsError } from '../input/describe-fs-error.ts';
import type { UpRequest } from './up-request.ts';
import { removeUpState, writeUpState, type UpState } from './up-state.ts';
import { upSummary } from './up-summary.ts';
import { waitReady } from './wait-ready.ts';
import { attachInstalledMesh } from '../install/installed-mesh.ts';
import { startXdsRelay, type XdsRelay } from '../install/xds-relay.ts';

interface GiveUp {
  readonly component: UpComponent;
  readonly exit: ChildExit;
}

export async function runUp(
  request: UpRequest,
  io: CliIo,
  hooks: ProcessHooks,
  detached = false,
): Promise<ExitCode> {
  const dataDir = await prepareDataDir(resolveDataHome(request.dataDir, io.env, request.cwd), request.cwd);
  const paths = dataPaths(dataDir);
  const supervisor = new Supervisor();
  const stop = watchStopSignals(hooks.signals, (signal: StopSignal) => {
    supervisor.killAll();
    hooks.forceExit(signal);
  });
  try {
    await acquirePidFile(paths.pidFile, dataDir);
    try {
      return await superviseComponents(request, io, supervisor, stop.stopped, dataDir, detached);
    } finally {
      await supervisor.stopAll();
      await removeUpState(paths.stateFile);
      await releasePidFile(paths.pidFile);
    }
  } finally {
    stop.dispose();
  }
}

async function superviseComponents(
  request: UpRequest,
  io: CliIo,
  supervisor: Supervisor,
  stopped: Promise<StopSignal>,
  dataDir: string,
  detached: boolean,
): Promise<ExitCode> {
  const ports = await chooseUpPorts(request);
  const portOffset = gatewayPortOffset(ports.gateway);
  const xdsAddress = formatAddress({ host: ports.host, port: ports.xds });
  const env = childEnv(io.env);
  const controlPlaneUrl = clientUrl({ host: ports.host, port: ports.http });
  let stopTokenRefresh = (): void => undefined;
  // The gateway reaches xDS through a relay, so `heddle upgrade` can move it to a revision's control plane.
  const gatewayRelay = await startXdsRelay(xdsAddress, ports.host);
  const prepareGateway = async (): Promise<void> => {
    stopTokenRefresh = await prepareGatewayFiles({
      dataDir,
      ports,
      xdsAddress: gatewayRelay.address,
      controlPlaneUrl,
    });
  };
  const components = upComponents({
    dataDir,
    ports,
    portOffset,
    logLevel: request.logLevel,
    env,
    prepareGateway,
  });
  try {
    return await startAndWatch(request, io, supervisor, stopped, dataDir, detached, components, {
      controlPlaneUrl,
      xdsAddress,
      ports,
      portOffset,
      gatewayRelay,
    });
  } finally {
    stopTokenRefresh();
    await gatewayRelay.close();
  }
}

interface Chosen {
  readonly controlPlaneUrl: string;
  readonly xdsAddress: string;
  readonly ports: UpPorts;
  readonly portOffset: number;
  readonly gatewayRelay: XdsRelay;
}

async function startAndWatch(
  request: UpRequest,
  io: CliIo,
  supervisor: Supervisor,
  stopped: Promise<StopSignal>,
  dataDir: string,
  detached: boolean,
  components: readonly UpComponent[],
  chosen: Chosen,
): Promise<ExitCode> {
  const paths = dataPaths(dataDir);
  const { ports, portOffset, xdsAddress } = chosen;

  const pids = new Map<string, number>();
  let state: UpState | undefined = undefined;
  const cancel = new AbortController();
  let giveUp: (reason: GiveUp) => void = () => undefined;
  const gaveUp = new Promise<GiveUp>((resolve) => (giveUp = resolve));
  void gaveUp.then(() => cancel.abort());
  void stopped.then(() => cancel.abort());

  const progress = new ProgressLines(io.stderr, io.env);
  for (const component of components) {
    const step = progress.step(component.title);
    if (component.prepare) {
      try {
        await component.prepare();
      } catch (error) {
        step.failed(describeFsError(error));
        throw new CliError(
          `cannot prepare the ${component.title}: ${describeFsError(error)}`,
          EXIT_CODES.UNAVAILABLE,
        );
      }
    }
    const log = logFilePath(dataDir, component.spec.name);
    await supervisor.start(component.spec, {
      onStart: (pid) => {
        pids.set(component.spec.name, pid);
        if (state) void writeUpState(paths.stateFile, withPids(state, pids)).catch(() => undefined);
      },
      onRestart: (exit, delayMs, restarts) =>
        io.stderr.write(
          `heddle: the ${component.title} stopped (${describeExit(exit)}); restarting in ` +
            `${(delayMs / 1000).toFixed(1)} s (restart ${restarts}, log ${log})\n`,
        ),
      onGiveUp: (exit) => giveUp({ component, exit }),
    });
    const outcome = await waitReady(component.readyUrl, request.timeoutMs, cancel.signal);
    if (outcome === 'ready') {
      step.done();
      continue;
    }
    if (cancel.signal.aborted && !(await isSettled(gaveUp))) {
      step.failed('stopped before it was ready');
      return EXIT_CODES.OK;
    }
    const reason =
      outcome === 'timeout'
        ? `not ready within ${request.timeoutMs / 1000} s`
        : `keeps stopping (${describeExit((await gaveUp).exit)})`;
    step.failed(reason);
    throw new CliError(`the ${component.title} is ${reason}; see ${log}`, EXIT_CODES.UNAVAILABLE);
  }

  // What `heddle install` asked for runs once the core is ready; SIGHUP (install, upgrade) applies it again.
  const installed = attachInstalledMesh({
    dataDir,
    host: ports.host,
    supervisor,
    io,
    env: childEnv(io.env),
    logLevel: request.logLevel,
    timeoutMs: request.timeoutMs,
    primary: { url: chosen.controlPlaneUrl, xdsAddress },
    ingress: {
      relay: chosen.gatewayRelay,
      httpPort: ports.gateway,
      portOffset,
      adminPort: ports.gatewayAdmin,
      healthPort: ports.gatewayHealth,
      ...(pids.get('gateway') !== undefined ? { pid: pids.get('gateway') } : {}),
    },
  });
  await installed.reconcile();

  state = withPids(
    {
      version: 1,
      status: 'ready',
      pid: process.pid,
      dataDir,
      startedAt: new Date().toISOString(),
      logsDir: paths.logs,
      controlPlane: { url: chosen.controlPlaneUrl, xdsAddress },
      gateway: {
        address: ports.host,
        httpPort: ports.gateway,
        portOffset,
        adminPort: ports.gatewayAdmin,
        healthPort: ports.gatewayHealth,
      },
    },
    pids,
  );
  const onReload = (): void => void installed.reconcile();
  process.on('SIGHUP', onReload);
  await writeUpState(paths.stateFile, state);
  io.stdout.write(upSummary(state, request.output, detached));

  const outcome = await Promise.race([stopped, gaveUp]).finally(() => process.off('SIGHUP', onReload));
  await installed.close();
  if (typeof outcome === 'string') {
    io.stderr.write(`heddle: stopping (${outcome})\n`);
    await supervisor.stopAll();
    io.stderr.write('Heddle stopped.\n');
    return EXIT_CODES.OK;
  }
  const log = logFilePath(dataDir, outcome.component.spec.name);
  throw new CliError(
    `the ${outcome.component.title} keeps stopping (${describeExit(outcome.exit)}); stopped everything; see ${log}`,
    EXIT_CODES.INTERNAL,
  );
}

function withPids(state: UpState, pids: ReadonlyMap<string, number>): UpState {
  const controlPlanePid = pids.get('control-plane');
  const gatewayPid = pids.get('gateway');
  return {
    ...state,
    controlPlane: { ...state.controlPlane, ...(controlPlanePid ? { pid: controlPlanePid } : {}) },
    gateway: { ...state.gateway, ...(gatewayPid ? { pid: gatewayPid } : {}) },
  };
}

/** The children are not tests, whatever runs `heddle up`. */
function childEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const copy = { ...env };
  delete copy.NODE_TEST_CONTEXT;
  return copy;
}

async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}
