// `heddle run`: starts a program as a mesh workload — registered with the control plane, behind its own
// sidecar, calling other services through it — and exits with the program's exit code.
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import type { LogLevel } from '../control/run-control.ts';
import type { ExitCode } from '../exit-codes.ts';
import { appendValue } from '../program/append-value.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import { parseLabels } from '../run/parse-labels.ts';
import { parseMetricsPort } from '../run/parse-metrics-port.ts';
import { checkPortSpecs, parsePortSpec, type PortSpec } from '../run/parse-port-spec.ts';
import type { RunRequest } from '../run/run-request.ts';
import { runWorkload } from '../run/run-workload.ts';
import { UsageError } from '../usage-error.ts';

interface RunOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: readonly string[];
  readonly serviceAccount: string;
  readonly port?: readonly string[];
  readonly outboundPort: string;
  readonly metricsPort?: string;
  readonly dataDir?: string;
  readonly controlPlane?: string;
  readonly xdsAddress?: string;
  readonly revision?: string;
  readonly logLevel: LogLevel;
  readonly timeout: string;
  readonly capture: CaptureMode;
}

type CaptureMode = 'explicit' | 'transparent';
const CAPTURE_MODES: readonly CaptureMode[] = ['explicit', 'transparent'];

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const DETAILS = `
The control plane is the running \`heddle up\` of the data directory, unless --control-plane (or
$HEDDLE_CONTROL_PLANE) names one. The workload is registered under --name (a WorkloadEntry that exists while
it runs); services whose selector matches --labels send it traffic on its mesh ports.

Each --port [name=]N[:appPort] is one service port: the sidecar accepts mesh traffic on 127.0.0.1:N and
passes it to the app on 127.0.0.1:appPort. 0 (or no appPort) picks a free port. "name" is the service port
name the workload serves (default "http"). The app finds its port in $PORT (the first --port).

The app is started once its sidecar is ready, with HTTP_PROXY (and HTTPS_PROXY, NODE_USE_ENV_PROXY=1) set to
the sidecar's outbound port, NO_PROXY for loopback, and HEDDLE_WORKLOAD_NAME, HEDDLE_NAMESPACE,
HEDDLE_SERVICE_ACCOUNT, HEDDLE_OUTBOUND_PORT, HEDDLE_APP_PORTS, HEDDLE_CONTROL_PLANE. SIGINT and SIGTERM go
to the app; when it exits the workload is deregistered and the sidecar stopped. A crashed sidecar is
restarted. The sidecar logs to <data-dir>/logs/sidecar-<name>.<namespace>.log.

The sidecar serves its Prometheus stats at http://127.0.0.1:<merge port>/stats/prometheus (the port is
printed once the workload is in the mesh); with --metrics-port N[:path] (path default /metrics) the app's own
metrics from 127.0.0.1:N are appended, so one scrape target covers both.

With --capture transparent (Linux, root; as Istio's init container) the workload gets a network namespace
of its own on the host bridge heddle0: iptables sends its TCP to the sidecar (outbound 15001, inbound 15006),
which runs as uid 1337; the app runs as the invoking user with no HTTP_PROXY and listens on its --port
itself. The workload is registered with the namespace's address; the namespace is deleted on exit.

Exit codes:
  the app's exit code (128 + n when signal n ended it)
  64   usage error (bad labels, bad port, no command)
  69   the control plane cannot be reached, a port is taken, or the sidecar did not become ready
  73   the sidecar's bootstrap cannot be written
  79   the control plane refused the registration
  126  the command cannot be executed; 127 it does not exist

Examples:
  heddle run --name product-v1 -n ecommerce --labels app=product,version=v1 --port 0 -- node product.js
  heddle run --name reviews --labels app=reviews --port http=9080:8080 -- python3 -m http.server 8080
  sudo heddle run --capture transparent --name reviews --labels app=reviews --port 9080 -- node reviews.js
  heddle run -- node -e "fetch('http://product.ecommerce/').then((r) => console.log(r.status))"`;

export function buildRunCommand(context: CommandContext): Command {
  return new Command('run')
    .summary('run a program as a mesh workload, beside its own sidecar')
    .description(
      'Registers a workload, starts its sidecar, then runs the command with the sidecar as its HTTP proxy.',
    )
    .usage('[options] -- <command> [args...]')
    .argument('<command...>', 'the program to run and its arguments')
    .option('--name <name>', 'workload name (default: the command name and the process id)')
    .addOption(namespaceOption('the workload\'s namespace (default: "default")'))
    .option('-l, --labels <k=v,...>', 'workload labels, e.g. app=product,version=v1; repeatable', appendValue)
    .option('--service-account <name>', 'the identity the workload runs as', 'default')
    .option('-p, --port <[name=]N[:appPort]>', 'a service port the workload serves; repeatable', appendValue)
    .option('--outbound-port <port>', 'the sidecar HTTP proxy port the app calls through (0: any)', '0')
    .option('--metrics-port <N[:path]>', "the app's own Prometheus metrics, merged into the sidecar's")
    .option('--data-dir <dir>', 'the data directory of heddle up (default: $HEDDLE_HOME, else ~/.heddle)')
    .addOption(new Option('--control-plane <url>', "a control plane's HTTP API, instead of heddle up's"))
    .option('--xds-address <host:port>', 'with --control-plane: its xDS address (default: port 15010)')
    .option(
      '--revision <rev>',
      'the control-plane revision the sidecar follows (default: label istio.io/rev)',
    )
    .addOption(
      choiceOption('--log-level <level>', 'lowest level the sidecar logs', LOG_LEVELS, { default: 'info' }),
    )
    .option('--timeout <seconds>', 'how long the sidecar may take to become ready', '60')
    .addOption(
      choiceOption(
        '--capture <mode>',
        'explicit (HTTP_PROXY, no root) or transparent (own network namespace and iptables, as Istio; Linux, root)',
        CAPTURE_MODES,
        { default: 'explicit' },
      ),
    )
    .passThroughOptions()
    .addHelpText('after', DETAILS)
    .action(async (command: readonly string[], options: RunOptions) => {
      const request = toRequest(command, options);
      const code = await runWorkload(request, context.io, process);
      // The app's own exit code passes through unchanged, whatever number it is.
      context.setExitCode(code as ExitCode);
    });
}

function toRequest(command: readonly string[], options: RunOptions): RunRequest {
  const ports: PortSpec[] = (options.port ?? []).map(parsePortSpec);
  checkPortSpecs(ports);
  const labels = Object.assign({}, ...(options.labels ?? []).map(parseLabels)) as Record<string, string>;
  const name = options.name ?? defaultName(command[0] ?? 'app');
  if (options.capture === 'transparent' && options.outboundPort !== '0')
    throw new UsageError(
      '--outbound-port has no use with --capture transparent',
      'A transparent workload calls out directly; iptables sends its connections to the sidecar.',
    );
  if (!DNS_SUBDOMAIN.test(name))
    throw new UsageError(
      `invalid workload name '${name}'`,
      'A name is lower-case letters, digits, "-" and ".", e.g. product-v1.',
    );
  return {
    name,
    namespace: options.namespace ?? 'default',
    labels,
    serviceAccount: options.serviceAccount,
    ports,
    outboundPort: port(options.outboundPort, '--outbound-port'),
    ...(options.metricsPort !== undefined ? { appMetrics: parseMetricsPort(options.metricsPort) } : {}),
    command,
    ...(options.capture === 'transparent' ? { capture: options.capture } : {}),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.controlPlane !== undefined ? { controlPlane: options.controlPlane } : {}),
    ...(options.xdsAddress !== undefined ? { xdsAddress: options.xdsAddress } : {}),
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    logLevel: options.logLevel,
    timeoutMs: seconds(options.timeout) * 1000,
    cwd: process.cwd(),
  };
}

/** `node-4242` for `node app.js`: unique on this machine while it runs. */
function defaultName(program: string): string {
  const base = basename(program)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base === '' ? 'app' : base.slice(0, 40)}-${process.pid}`;
}

function port(value: string, option: string): number {
  const number = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 0 && number <= 65_535))
    throw new UsageError(
      `invalid port '${value}' for ${option}`,
      'A port is 1-65535, or 0 for any free port.',
    );
  return number;
}

function seconds(value: string): number {
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || number <= 0)
    throw new UsageError(`invalid value '${value}' for --timeout`, 'Give a number of seconds, e.g. 60.');
  return number;
}
