// `heddle demo`: the seeds' e-commerce platform on this machine — brought up, driven with traffic, checked and
// summed up — in a data directory of its own. `--serve-plan` (hidden) is the mesh process it starts.
import { Command, Option } from 'commander';
import type { LogLevel } from '../control/run-control.ts';
import { runDemoMesh } from '../demo/demo-mesh.ts';
import { parseDuration, parseRps } from '../demo/demo-request.ts';
import { runDemo } from '../demo/run-demo.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { UsageError } from '../usage-error.ts';

interface DemoOptions {
  readonly duration: number;
  readonly rps: number;
  readonly json?: boolean;
  readonly keep?: boolean;
  readonly dataDir?: string;
  readonly timeout: number;
  readonly logLevel: LogLevel;
  readonly servePlan?: string;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const DETAILS = `
What runs (everything on 127.0.0.1, in its own data directory, ~/.heddle-demo by default): the control
plane and the ingress gateway as \`heddle up\` runs them, and the shop's services from
examples/ecommerce/services/ — frontend, product v1 and v2, order, user, inventory, price, payment, auth,
and a mesh client — each beside its own sidecar as \`heddle run\` runs it. The demo makes a CA and a
certificate for shop.example.com (stored as the secret shop-example-cert), a test JWT issuer whose key set
it serves on loopback, and applies examples/ecommerce/*.yaml.

Once every proxy is SYNCED it sends HTTPS requests through the gateway for --duration: storefront pages with
a valid token (the canary split shows in which product version answered), the test user's pages (delayed
5 s by fault injection), product pages, checkouts, forged tokens (refused by the frontend's
RequestAuthentication) and calls from the mesh client to the order service (denied by its
AuthorizationPolicy). It also sends plaintext to mTLS-only ports and plain HTTP to port 80 (redirected).

Service latency and errors can be set per service: DEMO_<SERVICE>_LATENCY_MS and DEMO_<SERVICE>_ERROR_RATE
(e.g. DEMO_PAYMENT_ERROR_RATE=0.2), or DEMO_LATENCY_MS / DEMO_ERROR_RATE for all.

Ctrl+C stops the traffic and everything that was started. --keep leaves the mesh running afterwards, for
proxy-status, proxy-config, x describe, metrics and traces; \`heddle down --data-dir <dir>\` stops it.

Exit codes:
  0    every check passed
  1    the demo ran, but some check failed (marked ✘; "checks" in --json)
  64   usage error
  69   something did not start (a port is taken, a component not ready); nothing is left running
  73   the data directory cannot be created or written
  130  interrupted

Examples:
  heddle demo
  heddle demo --duration 1m --rps 20
  heddle demo --keep && heddle proxy-status --control-plane <url from the summary>
  heddle demo --duration 20s --json | jq .canary`;

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0)
    throw new UsageError(`invalid value '${value}' for --timeout`, 'Give a number of seconds, e.g. 300.');
  return seconds;
}

export function buildDemoCommand(context: CommandContext): Command {
  return new Command('demo')
    .summary('run the e-commerce demo: a whole mesh, traffic, and what it shows')
    .description(
      "Brings up the seeds' e-commerce platform on this machine, drives traffic through it, and prints what the mesh did: canary split, latency, fault injection, mTLS, authorization, JWT, HTTPS.",
    )
    .addOption(
      new Option('--duration <time>', 'how long to drive traffic, e.g. 30s or 2m')
        .default(30_000, '30s')
        .argParser(parseDuration),
    )
    .addOption(
      new Option('--rps <n>', 'requests per second through the gateway').default(10).argParser(parseRps),
    )
    .option('--json', 'print the summary as one JSON object')
    .option('--keep', 'leave the mesh running afterwards (stop it with `heddle down --data-dir <dir>`)')
    .option('--data-dir <dir>', "the demo's data directory (default: ~/.heddle-demo)")
    .addOption(
      new Option('--timeout <seconds>', 'how long starting everything may take')
        .default(300)
        .argParser(parseSeconds),
    )
    .addOption(
      choiceOption('--log-level <level>', 'lowest level the components log', LOG_LEVELS, { default: 'info' }),
    )
    .addOption(new Option('--serve-plan <file>').hideHelp())
    .addHelpText('after', DETAILS)
    .action(async (options: DemoOptions) => {
      const hooks = {
        signals: process,
        forceExit: () => {
          context.io.stderr.write('heddle: stopped without waiting for a graceful close\n');
          process.exit(130);
        },
      };
      if (options.servePlan !== undefined) {
        context.setExitCode(await runDemoMesh(options.servePlan, context.io, hooks));
        return;
      }
      const code = await runDemo(
        {
          ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
          durationMs: options.duration,
          rps: options.rps,
          json: options.json === true,
          keep: options.keep === true,
          timeoutMs: options.timeout * 1000,
          logLevel: options.logLevel,
          cwd: process.cwd(),
        },
        context.io,
        hooks,
      );
      context.setExitCode(code);
    });
}
