// Options the install verbs share: the data directory, the IstioOperator files and --set overrides, a
// revision name, and the `heddle up` settings used when install has to start Heddle.
import { Option, type Command } from 'commander';
import type { LogLevel } from '../control/run-control.ts';
import { appendValue } from '../program/append-value.ts';
import { UsageError } from '../usage-error.ts';
import { DEFAULT_GATEWAY_LOCAL_PORT } from '../up/gateway-port-map.ts';
import type { UpRequest } from '../up/up-request.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseRevision(value: string): string {
  if (!DNS_LABEL.test(value))
    throw new UsageError(
      `invalid revision '${value}'`,
      'A revision is lower-case letters, digits and "-" (at most 63), e.g. 1-13; "default" names the default revision.',
    );
  return value;
}

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0)
    throw new UsageError(`invalid value '${value}' for --timeout`, 'Give a number of seconds, e.g. 60.');
  return seconds;
}

function parsePort(option: string): (value: string) => number {
  return (value) => {
    const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
    if (!(port >= 0 && port <= 65_535))
      throw new UsageError(
        `invalid port '${value}' for ${option}`,
        'A port is 1-65535, or 0 for any free port.',
      );
    return port;
  };
}

export function addDataDirOption(command: Command): Command {
  return command.option(
    '--data-dir <dir>',
    'the data directory of heddle up (default: $HEDDLE_HOME, else ~/.heddle)',
  );
}

export function addOperatorOptions(command: Command): Command {
  return command
    .option(
      '-f, --filename <file>',
      'an IstioOperator file (or - for stdin); repeatable, later files overlay earlier ones',
      appendValue,
    )
    .option(
      '-s, --set <path=value>',
      'override one IstioOperator spec field, e.g. meshConfig.accessLogFile=/dev/stdout; repeatable',
      appendValue,
    )
    .addOption(
      new Option('-r, --revision <rev>', 'install side by side as this revision (istio.io/rev)').argParser(
        parseRevision,
      ),
    );
}

/** `heddle up`'s ports, for when install starts Heddle; 0 picks a free port. */
export function addUpOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--http-port <port>', "when starting Heddle: the control plane's HTTP API")
        .default(15014)
        .argParser(parsePort('--http-port')),
    )
    .addOption(
      new Option('--xds-port <port>', "when starting Heddle: the control plane's xDS")
        .default(15010)
        .argParser(parsePort('--xds-port')),
    )
    .addOption(
      new Option('--gateway-port <port>', 'when starting Heddle: local port of Gateway port 80')
        .default(DEFAULT_GATEWAY_LOCAL_PORT)
        .argParser(parsePort('--gateway-port')),
    )
    .addOption(
      new Option('--gateway-admin-port <port>', "when starting Heddle: the gateway's admin API")
        .default(15000)
        .argParser(parsePort('--gateway-admin-port')),
    )
    .addOption(
      new Option('--gateway-health-port <port>', "when starting Heddle: the gateway's health port")
        .default(15021)
        .argParser(parsePort('--gateway-health-port')),
    )
    .addOption(
      new Option('--timeout <seconds>', 'how long each component may take to become ready')
        .default(60)
        .argParser(parseSeconds),
    );
}

export interface UpOptionValues {
  readonly dataDir?: string;
  readonly httpPort: number;
  readonly xdsPort: number;
  readonly gatewayPort: number;
  readonly gatewayAdminPort: number;
  readonly gatewayHealthPort: number;
  readonly timeout: number;
  readonly logLevel?: LogLevel;
}

export function upRequestOf(options: UpOptionValues): UpRequest {
  return {
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    httpPort: options.httpPort,
    xdsPort: options.xdsPort,
    gatewayPort: options.gatewayPort,
    gatewayAdminPort: options.gatewayAdminPort,
    gatewayHealthPort: options.gatewayHealthPort,
    logLevel: options.logLevel ?? 'info',
    output: 'text',
    timeoutMs: options.timeout * 1000,
    cwd: process.cwd(),
  };
}
