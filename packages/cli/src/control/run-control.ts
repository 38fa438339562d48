// `heddle control`: runs the control plane in the foreground until SIGINT or SIGTERM, then closes it fully.
import type * as ControlPlaneModule from '@heddle/control-plane';
import type { CliIo } from '../cli-io.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';
import { describeStartFailure } from './describe-start-failure.ts';
import { ensureAddressFree } from './ensure-address-free.ts';
import { clientUrl, formatAddress, isLoopback, type BoundAddress } from './listen-address.ts';
import { prepareDataDir } from './prepare-data-dir.ts';
import { readyMessage, type ReadyFormat } from './ready-message.ts';
import { watchStopSignals, type SignalTarget, type StopSignal } from './stop-signals.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ControlRequest {
  readonly dataDir: string;
  readonly xdsAddress: string;
  readonly httpAddress: string;
  readonly logLevel: LogLevel;
  readonly output: ReadyFormat;
  readonly cwd: string;
  /** Let jwksUri name a loopback address (a local issuer, as `heddle demo` runs); off by default. */
  readonly allowLoopbackJwks?: boolean;
  /** The built web dashboard, served under /dashboard/; absent: not served. */
  readonly dashboardDir?: string;
}

export interface ProcessHooks {
  readonly signals: SignalTarget;
  /** Called on a second stop signal: stop waiting for a graceful close. */
  readonly forceExit: (signal: StopSignal) => void;
}

export async function runControl(request: ControlRequest, io: CliIo, hooks: ProcessHooks): Promise<ExitCode> {
  const stop = watchStopSignals(hooks.signals, hooks.forceExit);
  try {
    // Loaded here, not at the top: gRPC, SQLite and the translator cost every other verb a second to load.
    const plane = await import('@heddle/control-plane');
    const xds = parseAddress(plane, request.xdsAddress, '--xds-address');
    const http = parseAddress(plane, request.httpAddress, '--http-address');
    const dataDir = await prepareDataDir(request.dataDir, request.cwd);
    await ensureAddressFree(xds, 'xDS');
    await ensureAddressFree(http, 'HTTP API');
    let running;
    try {
      running = await plane.startControlPlane({
        dataDir,
        xdsAddress: request.xdsAddress,
        httpAddress: request.httpAddress,
        allowLoopbackJwks: request.allowLoopbackJwks === true,
        ...(request.dashboardDir !== undefined ? { dashboardDir: request.dashboardDir } : {}),
        logger: plane.jsonLogger(request.logLevel, (line) => io.stderr.write(line)),
      });
    } catch (error) {
      throw describeStartFailure(error, { xds, http, dataDir }) ?? error;
    }
    try {
      if (!stop.received()) {
        warnIfExposed(io, xds, http);
        const boundHttp = { host: http.host, port: running.httpPort };
        const info = {
          instance: running.instanceId,
          version: plane.CONTROL_PLANE_VERSION,
          xdsAddress: formatAddress({ host: xds.host, port: running.xdsPort }),
          httpAddress: formatAddress(boundHttp),
          controlPlaneUrl: clientUrl(boundHttp),
          dataDir,
        };
        io.stdout.write(readyMessage(info, request.output));
      }
      const signal = await stop.stopped;
      io.stderr.write(`heddle: stopping the control plane (${signal})\n`);
    } finally {
      await running.close();
    }
    return EXIT_CODES.OK;
  } finally {
    stop.dispose();
  }
}

function parseAddress(plane: typeof ControlPlaneModule, value: string, option: string): BoundAddress {
  try {
    return plane.parseListenAddress(value, option);
  } catch (error) {
    if (plane.isControlPlaneError(error, plane.CONTROL_PLANE_CODES.INVALID_LISTEN_ADDRESS)) {
      throw new UsageError(error.message, "Run 'heddle control --help' for usage.");
    }
    throw error;
  }
}

/** Neither server authenticates its clients yet: say so when they listen beyond this machine. */
function warnIfExposed(io: CliIo, xds: BoundAddress, http: BoundAddress): void {
  for (const [address, role] of [
    [xds, 'xDS'],
    [http, 'HTTP API'],
  ] as const) {
    if (!isLoopback(address.host)) {
      io.stderr.write(
        `heddle: warning: the ${role} listens on ${formatAddress(address)} without authentication; ` +
          'anyone who can reach it can read or change the mesh config\n',
      );
    }
  }
}
