// `heddle up`: runs the mesh on this machine — the control plane and an ingress gateway, supervised — in the
// foreground, or in the background with --detach (stopped by `heddle down`).
import { Command, Option } from 'commander';
import type { LogLevel } from '../control/run-control.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { UsageError } from '../usage-error.ts';
import { runDetachedUp } from '../up/detach-up.ts';
import { DEFAULT_GATEWAY_LOCAL_PORT } from '../up/gateway-port-map.ts';
import { runUp } from '../up/run-up.ts';
import type { UpRequest } from '../up/up-request.ts';
import type { UpFormat } from '../up/up-summary.ts';

interface UpOptions {
  readonly dataDir?: string;
  readonly detach?: boolean;
  readonly background?: boolean;
  readonly httpPort: number;
  readonly xdsPort: number;
  readonly gatewayPort: number;
  readonly gatewayAdminPort: number;
  readonly gatewayHealthPort: number;
  readonly logLevel: LogLevel;
  readonly output: UpFormat;
  readonly timeout: number;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const DETAILS = `
Everything listens on 127.0.0.1. Gateway resources name the ports the ingress gateway serves; one machine
without root cannot bind ports below 1024, so those move up by the same distance as port 80 does to
--gateway-port (by default 80 -> 8080 and 443 -> 8443, as Istio's own gateway container listens); ports from
1024 on are used as they are. Port 0 for any option picks a free port; the summary and
<data-dir>/state.json say which.

The config store (SQLite) lives in <data-dir>/control and survives restarts; each component logs to
<data-dir>/logs/<component>.log and is restarted with back-off if it crashes. SIGINT (Ctrl+C) or SIGTERM
stops the gateway, then the control plane.

Exit codes:
  0   stopped by SIGINT or SIGTERM (or --detach: running in the background)
  64  usage error
  69  a port is taken, Heddle is already running for this data directory, or a component did not
      become ready; nothing is left running
  70  a component kept crashing after it was ready; everything was stopped
  73  the data directory cannot be created or written

Examples:
  heddle up
  heddle up --detach && heddle apply -f examples/ecommerce/
  heddle up --data-dir ./.heddle --gateway-port 9080`;

function portOption(flags: string, description: string, fallback: number): Option {
  return new Option(flags, description).default(fallback).argParser((value) => parsePort(flags, value));
}

function parsePort(flags: string, value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    const option = flags.split(' ')[0] ?? flags;
    throw new UsageError(
      `invalid port '${value}' for ${option}`,
      'A port is a number from 1 to 65535, or 0 for any free port.',
    );
  }
  return port;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0)
    throw new UsageError(`invalid value '${value}' for --timeout`, 'Give a number of seconds, e.g. 60.');
  return seconds;
}

export function buildUpCommand(context: CommandContext): Command {
  return new Command('up')
    .summary('run the mesh on this machine: control plane and ingress gateway')
    .description(
      'Starts the control plane and an ingress gateway on this machine, supervised, and prints where they listen.',
    )
    .option('--data-dir <dir>', 'where state, config and logs live (default: $HEDDLE_HOME, else ~/.heddle)')
    .option('-d, --detach', 'run in the background; stop with `heddle down`')
    .addOption(new Option('--background').hideHelp())
    .addOption(portOption('--http-port <port>', "the control plane's HTTP API", 15014))
    .addOption(portOption('--xds-port <port>', "the control plane's xDS (gRPC, plaintext)", 15010))
    .addOption(
      portOption('--gateway-port <port>', 'local port of Gateway port 80', DEFAULT_GATEWAY_LOCAL_PORT),
    )
    .addOption(portOption('--gateway-admin-port <port>', "the gateway's admin API", 15000))
    .addOption(portOption('--gateway-health-port <port>', "the gateway's /healthz/ready", 15021))
    .addOption(
      choiceOption('--log-level <level>', 'lowest level the components log', LOG_LEVELS, { default: 'info' }),
    )
    .addOption(
      choiceOption('-o, --output <format>', 'how the summary is printed', ['text', 'json'] as const, {
        default: 'text',
      }),
    )
    .addOption(
      new Option('--timeout <seconds>', 'how long each component may take to become ready')
        .default(60)
        .argParser(parseSeconds),
    )
    .addHelpText('after', DETAILS)
    .action(async (options: UpOptions) => {
      const request: UpRequest = {
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        httpPort: options.httpPort,
        xdsPort: options.xdsPort,
        gatewayPort: options.gatewayPort,
        gatewayAdminPort: options.gatewayAdminPort,
        gatewayHealthPort: options.gatewayHealthPort,
        logLevel: options.logLevel,
        output: options.output,
        timeoutMs: options.timeout * 1000,
        cwd: process.cwd(),
      };
      if (options.detach) {
        context.setExitCode(await runDetachedUp(request, context.io));
        return;
      }
      const hooks = {
        signals: process,
        forceExit: () => {
          context.io.stderr.write('heddle: stopped without waiting for a graceful close\n');
          process.exit(130);
        },
      };
      context.setExitCode(await runUp(request, context.io, hooks, options.background === true));
    });
}
