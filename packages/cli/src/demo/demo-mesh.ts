// The process that runs the demo's mesh (`heddle demo` starts it; `heddle down --data-dir` stops it): the
// control plane and ingress gateway as `heddle up` runs them, the test issuer's JWKS, and every shop service
// beside its sidecar as `heddle run` runs it. It holds `heddle.pid` and writes `state.json` like `heddle up`,
// so `heddle run`, `down` and `version` work with the demo's data directory too.
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { clientUrl, formatAddress } from '../control/listen-address.ts';
import type { ProcessHooks } from '../control/run-control.ts';
import { watchStopSignals, type SignalTarget, type StopSignal } from '../control/stop-signals.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import type { LogLevel } from '../control/run-control.ts';
import { runWorkload } from '../run/run-workload.ts';
import type { RunRequest } from '../run/run-request.ts';
import { describeExit, type ChildExit } from '../supervisor/child-spec.ts';
import { logFilePath } from '../supervisor/log-file.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { dataPaths } from '../up/data-home.ts';
import { gatewayPortOffset } from '../up/gateway-port-map.ts';
import { acquirePidFile, releasePidFile } from '../up/pid-file.ts';
import { prepareGatewayFiles } from '../up/prepare-gateway.ts';
import { upComponents, type UpPorts } from '../up/up-components.ts';
import { removeUpState, writeUpState } from '../up/up-state.ts';
import { waitReady } from '../up/wait-ready.ts';
import { DEMO_ISSUER, jwksUrl, startJwksServer } from './demo-issuer.ts';
import { demoPaths, SERVICES_DIR } from './demo-paths.ts';
import { readPlan, type DemoPlan } from './demo-plan.ts';
import { DEMO_NAMESPACE, workloadSettings, type DemoWorkload } from './demo-workloads.ts';

/** How long each component and each sidecar may take to become ready (a busy machine starts slowly). */
const READY_TIMEOUT_MS = 180_000;
/** After SIGTERM to the apps, how long their `heddle run` may take to deregister and stop the sidecar. */
const WORKLOAD_STOP_TIMEOUT_MS = 30_000;

interface RunningWorkload {
  readonly workload: DemoWorkload;
  readonly signals: EventEmitter;
  readonly ended: Promise<number>;
}

export async function runDemoMesh(planFile: string, io: CliIo, hooks: ProcessHooks): Promise<ExitCode> {
  const plan = await readPlan(planFile);
  const paths = dataPaths(plan.dataDir);
  const supervisor = new Supervisor();
  const workloads: RunningWorkload[] = [];
  let issuer: Server | undefined;
  const stop = watchStopSignals(hooks.signals, (signal: StopSignal) => {
    supervisor.killAll();
    hooks.forceExit(signal);
  });
  try {
    await acquirePidFile(paths.pidFile, plan.dataDir);
    try {
      issuer = await startJwksServer(demoPaths(plan.dataDir).jwks, plan.host, plan.jwksPort);
      return await superviseMesh(plan, io, supervisor, workloads, stop.stopped);
    } finally {
      await stopWorkloads(workloads, io);
      await new Promise<void>((resolve) => (issuer ? issuer.close(() => resolve()) : resolve()));
      await supervisor.stopAll();
      await removeUpState(paths.stateFile);
      await releasePidFile(paths.pidFile);
    }
  } finally {
    stop.dispose();
  }
}

async function superviseMesh(
  plan: DemoPlan,
  io: CliIo,
  supervisor: Supervisor,
  workloads: RunningWorkload[],
  stopped: Promise<StopSignal>,
): Promise<ExitCode> {
  const ports: UpPorts = {
    host: plan.host,
    http: plan.httpPort,
    xds: plan.xdsPort,
    gateway: plan.gatewayHttpPort,
    gatewayAdmin: plan.gatewayAdminPort,
    gatewayHealth: plan.gatewayHealthPort,
  };
  const controlPlaneUrl = clientUrl({ host: plan.host, port: plan.httpPort });
  const xdsAddress = formatAddress({ host: plan.host, port: plan.xdsPort });
  const env = { ...io.env };
  delete env.NODE_TEST_CONTEXT;
  let stopTokenRefresh = (): void => undefined;
  const components = upComponents({
    dataDir: plan.dataDir,
    ports,
    portOffset: gatewayPortOffset(plan.gatewayHttpPort),
    logLevel: plan.logLevel,
    env,
    prepareGateway: async () => {
      stopTokenRefresh = await prepareGatewayFiles({
        dataDir: plan.dataDir,
        ports,
        xdsAddress,
        controlPlaneUrl,
      });
    },
  }).map((component) =>
    // The demo's issuer serves its JWKS on loopback, which the control plane fetches only when told to.
    component.spec.name === 'control-plane'
      ? { ...component, spec: { ...component.spec, argv: [...component.spec.argv, '--allow-loopback-jwks'] } }
      : component,
  );

  const cancel = new AbortController();
  let reportFailure: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => (reportFailure = resolve));
  void failed.then(() => cancel.abort());
  void stopped.then(() => cancel.abort());
  try {
    for (const component of components) {
      await component.prepare?.();
      await supervisor.start(component.spec, {
        onGiveUp: (exit: ChildExit) =>
          reportFailure(`the ${component.title} keeps stopping (${describeExit(exit)})`),
      });
      const ready = await waitReady(component.readyUrl, READY_TIMEOUT_MS, cancel.signal);
      if (ready === 'aborted') return await outcome(stopped, failed, io);
      if (ready === 'timeout') {
        const log = logFilePath(plan.dataDir, component.spec.name);
        throw new CliError(
          `the ${component.title} is not ready within ${READY_TIMEOUT_MS / 1000} s; see ${log}`,
          69,
        );
      }
      io.stderr.write(`heddle: ${component.title} ready\n`);
    }
    await writeUpState(dataPaths(plan.dataDir).stateFile, {
      version: 1,
      status: 'ready',
      pid: process.pid,
      dataDir: plan.dataDir,
      startedAt: new Date().toISOString(),
      logsDir: dataPaths(plan.dataDir).logs,
      controlPlane: { url: controlPlaneUrl, xdsAddress },
      gateway: {
        address: plan.host,
        httpPort: plan.gatewayHttpPort,
        portOffset: gatewayPortOffset(plan.gatewayHttpPort),
        adminPort: plan.gatewayAdminPort,
        healthPort: plan.gatewayHealthPort,
      },
    });
    const issuerUrl = jwksUrl(plan.host, plan.jwksPort);
    for (const workload of plan.workloads) {
      const signals = stickyStopSignal();
      const request = workloadRequest(plan, workload, controlPlaneUrl, xdsAddress);
      const workloadIo: CliIo = {
        ...io,
        env: { ...env, ...workloadSettings(workload, io.env), JWKS_URI: issuerUrl, JWT_ISSUER: DEMO_ISSUER },
      };
      const ended = runWorkload(request, workloadIo, signals as SignalTarget).catch((error: unknown) => {
        io.stderr.write(
          `heddle: ${workload.name}: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        return EXIT_CODES.UNAVAILABLE;
      });
      void ended.then((code) => {
        if (cancel.signal.aborted) return;
        const log = logFilePath(plan.dataDir, `sidecar-${workload.name}.${DEMO_NAMESPACE}`);
        reportFailure(`the workload ${workload.name} ended (exit code ${code}; its sidecar's log: ${log})`);
      });
      workloads.push({ workload, signals, ended });
    }
    io.stderr.write(`heddle: started ${workloads.length} workloads\n`);
    return await outcome(stopped, failed, io);
  } finally {
    stopTokenRefresh();
  }
}

async function outcome(stopped: Promise<StopSignal>, failed: Promise<string>, io: CliIo): Promise<ExitCode> {
  const first = await Promise.race([
    stopped.then((signal) => ({ signal })),
    failed.then((reason) => ({ reason })),
  ]);
  if ('signal' in first) {
    io.stderr.write(`heddle: stopping the demo (${first.signal})\n`);
    return EXIT_CODES.OK;
  }
  throw new CliError(`${first.reason}; stopped the demo`, EXIT_CODES.UNAVAILABLE);
}

function workloadRequest(
  plan: DemoPlan,
  workload: DemoWorkload,
  controlPlaneUrl: string,
  xdsAddress: string,
): RunRequest {
  return {
    name: workload.name,
    namespace: DEMO_NAMESPACE,
    labels: { app: workload.app, version: workload.version },
    serviceAccount: workload.serviceAccount,
    ports: workload.serves ? [{ name: 'http', meshPort: 0, appPort: 0 }] : [],
    outboundPort: 0,
    command: [process.execPath, join(SERVICES_DIR, workload.script)],
    dataDir: plan.dataDir,
    controlPlane: controlPlaneUrl,
    xdsAddress,
    logLevel: plan.logLevel as LogLevel,
    timeoutMs: READY_TIMEOUT_MS,
    cwd: SERVICES_DIR,
  };
}

/**
 * A signal target for one `heddle run` in this process. A stop sent before `heddle run` listens (it is still
 * registering the workload) reaches it as soon as it does, so no workload is left starting after a stop.
 */
function stickyStopSignal(): EventEmitter {
  const signals = new EventEmitter();
  let stopped = false;
  signals.on('newListener', (event: string | symbol, listener: (signal: string) => void) => {
    if (stopped && event === 'SIGTERM') queueMicrotask(() => listener('SIGTERM'));
  });
  signals.prependListener('SIGTERM', () => (stopped = true));
  return signals;
}

/** SIGTERM to every app at once; each `heddle run` then deregisters its workload and stops its sidecar. */
async function stopWorkloads(workloads: readonly RunningWorkload[], io: CliIo): Promise<void> {
  for (const { signals } of workloads) signals.emit('SIGTERM', 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>(
    (resolve) => (timer = setTimeout(() => resolve('late'), WORKLOAD_STOP_TIMEOUT_MS)),
  );
  const all = Promise.all(workloads.map(({ ended }) => ended));
  if ((await Promise.race([all, deadline])) === 'late')
    io.stderr.write(`heddle: some workloads did not stop within ${WORKLOAD_STOP_TIMEOUT_MS / 1000} s\n`);
  clearTimeout(timer);
}
