// `heddle control`: runs the control plane (xDS server, config API, debug endpoints) in the foreground.
import { Command } from 'commander';
import { DASHBOARD_DIST_DIR } from '@heddle/dashboard';
import { runControl, type LogLevel } from '../control/run-control.ts';
import type { ReadyFormat } from '../control/ready-message.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';

interface ControlOptions {
  readonly dataDir: string;
  readonly xdsAddress: string;
  readonly httpAddress: string;
  readonly logLevel: LogLevel;
  readonly output: ReadyFormat;
  readonly allowLoopbackJwks?: boolean;
  readonly dashboardDir?: string;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const DETAILS = `
Once both servers listen, the addresses are printed on stdout (-o json: one JSON line for scripts, with
the ports the OS picked for port 0); logs go to stderr as JSON lines. SIGINT (Ctrl+C) or SIGTERM closes
proxy streams and servers, then exits 0; a second signal exits at once.

Exit codes:
  0   stopped by SIGINT or SIGTERM
  64  usage error (e.g. an address that is not host:port)
  69  an address cannot be listened on (already in use, permission denied); nothing was started
  73  the data directory cannot be created or written

Examples:
  heddle control
  heddle control --data-dir /var/lib/heddle --http-address 127.0.0.1:15014
  heddle control --xds-address 127.0.0.1:0 --http-address 127.0.0.1:0 -o json`;

export function buildControlCommand(context: CommandContext): Command {
  return new Command('control')
    .summary('run the control plane in the foreground')
    .description(
      'Runs the Heddle control plane: the xDS server proxies connect to, and the config and debug API.',
    )
    .option('--data-dir <dir>', 'where the config store lives; created when missing', '.heddle/control')
    .option(
      '--xds-address <host:port>',
      'plaintext xDS (gRPC) listen address; port 0 picks one',
      '127.0.0.1:15010',
    )
    .option(
      '--http-address <host:port>',
      'config API and debug listen address; port 0 picks one',
      '127.0.0.1:15014',
    )
    .addOption(
      choiceOption('--log-level <level>', 'lowest level logged on stderr', LOG_LEVELS, { default: 'info' }),
    )
    .addOption(
      choiceOption('-o, --output <format>', 'how the ready message is printed', ['text', 'json'] as const, {
        default: 'text',
      }),
    )
    .option(
      '--allow-loopback-jwks',
      'let RequestAuthentication jwksUri name a loopback address (a local test issuer); off by default',
    )
    .option(
      '--dashboard-dir <dir>',
      "the built web dashboard, served under /dashboard/ on the HTTP address (default: the dashboard package's dist/)",
    )
    .addHelpText('after', DETAILS)
    .action(async (options: ControlOptions) => {
      const request = {
        ...options,
        dashboardDir: options.dashboardDir ?? DASHBOARD_DIST_DIR,
        cwd: process.cwd(),
      };
      const hooks = {
        signals: process,
        forceExit: () => {
          context.io.stderr.write('heddle: stopped without waiting for a graceful close\n');
          process.exit(130);
        },
      };
      context.setExitCode(await runControl(request, context.io, hooks));
    });
}
