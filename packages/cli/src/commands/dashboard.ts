// `heddle dashboard`: istioctl's verb for the web UI. Heddle's dashboard is served by the control plane
// itself (under /dashboard/), so this finds the running mesh's control plane, checks that it serves the
// dashboard, prints the URL and, with --open, hands it to the desktop's browser.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../cli-io.ts';
import { describeRequestFailure } from '../client/describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from '../client/http-request.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneOption } from '../program/control-plane-option.ts';
import { runningControlPlaneUrl } from '../up/running-control-plane-url.ts';

interface DashboardOptions {
  readonly controlPlane?: string;
  readonly dataDir?: string;
  readonly open?: boolean;
}

const TIMEOUT_MS = 5_000;
const DASHBOARD_PATH = '/dashboard/';

const DETAILS = `
The control plane is --control-plane, else $HEDDLE_CONTROL_PLANE, else the running \`heddle up\` of the data
directory, else http://127.0.0.1:15014. The dashboard is served by the control plane's HTTP port: the URL
is printed on stdout once the control plane answers for it.

Exit codes:
  0   the URL was printed (with --open, whether or not a browser could be started)
  64  usage error
  69  the control plane cannot be reached, or it does not serve the dashboard (not built, or started
      without a dashboard folder)
  76  the control plane gave an unexpected answer

Examples:
  heddle dashboard
  heddle dashboard --open
  heddle dashboard --control-plane http://10.0.0.5:15014
  curl -s "$(heddle dashboard)"`;

export function buildDashboardCommand(context: CommandContext): Command {
  return new Command('dashboard')
    .alias('dash')
    .summary("print the URL of the mesh's web dashboard")
    .description(
      "Prints the URL of the web dashboard (service graph, traffic, proxy status, findings) that the running mesh's control plane serves.",
    )
    .addOption(controlPlaneOption())
    .option('--data-dir <dir>', 'the data directory of heddle up (default: $HEDDLE_HOME, else ~/.heddle)')
    .option('--open', "also open it in the desktop's browser (xdg-open), when there is one")
    .addHelpText('after', DETAILS)
    .action(async (options: DashboardOptions) => {
      const { io } = context;
      const base = await runningControlPlaneUrl(options, io.env);
      const url = `${base}${DASHBOARD_PATH}`;
      await checkServed(base, url);
      io.stdout.write(`${url}\n`);
      if (options.open === true) await openInBrowser(url, io);
      context.setExitCode(EXIT_CODES.OK);
    });
}

async function checkServed(base: string, url: string): Promise<void> {
  let response: HttpResponse;
  try {
    response = await sendHttpRequest({
      method: 'GET',
      url: new URL(url),
      headers: { accept: 'text/html' },
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    throw new CliError(describeRequestFailure(error, base, TIMEOUT_MS), EXIT_CODES.UNAVAILABLE);
  }
  if (response.status === 200) return;
  if (response.status === 503) {
    const reason = response.contentType.startsWith('text/plain') ? response.body.trim() : 'not ready';
    throw new CliError(
      `the control plane at ${base} cannot serve the dashboard: ${reason}`,
      EXIT_CODES.UNAVAILABLE,
    );
  }
  if (response.status === 404)
    throw new CliError(
      `the control plane at ${base} does not serve the dashboard (it was started without a dashboard folder)`,
      EXIT_CODES.UNAVAILABLE,
    );
  throw new CliError(
    `the control plane at ${base} answered ${url} with ${response.status}`,
    EXIT_CODES.PROTOCOL,
  );
}

/** Starts xdg-open on the URL when it is on PATH; a missing or failing opener is a note, never a failure. */
async function openInBrowser(url: string, io: CliIo): Promise<void> {
  const opener = await findOnPath('xdg-open', io.env.PATH ?? '');
  if (opener === undefined) {
    io.stderr.write('heddle: xdg-open was not found; open the URL above in a browser\n');
    return;
  }
  await new Promise<void>((resolve) => {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.once('error', (error) => {
      io.stderr.write(
        `heddle: could not start xdg-open (${error.message}); open the URL above in a browser\n`,
      );
      resolve();
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

async function findOnPath(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
