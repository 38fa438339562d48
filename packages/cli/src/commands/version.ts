// `heddle version`: the client's version and, when one answers, the control plane's and its proxies' — the
// three lines of `istioctl version`.
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { sendHttpRequest } from '../client/http-request.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneOption } from '../program/control-plane-option.ts';
import { runningControlPlaneUrl } from '../up/running-control-plane-url.ts';

interface VersionOptions {
  readonly controlPlane?: string;
  readonly dataDir?: string;
  readonly remote: boolean;
  readonly output: 'text' | 'json';
}

interface Versions {
  readonly clientVersion: string;
  readonly controlPlaneUrl?: string;
  readonly controlPlaneVersion?: string;
  /** Connected proxies per version. */
  readonly dataPlaneVersions?: Readonly<Record<string, number>>;
}

const TIMEOUT_MS = 3_000;
const PILOT_INFO = /^pilot_info\{[^}]*version="([^"]+)"[^}]*\}\s+1\b/m;

const DETAILS = `
The control plane is --control-plane, else $HEDDLE_CONTROL_PLANE, else the running \`heddle up\` of the data
directory, else http://127.0.0.1:15014. When none answers, only the client version is printed (exit 0).

Examples:
  heddle version
  heddle version --remote=false
  heddle version -o json`;

export function buildVersionCommand(context: CommandContext): Command {
  return new Command('version')
    .summary('print the client, control plane and data plane versions')
    .description("Prints Heddle's version, and the control plane's and its proxies' when it can reach one.")
    .addOption(controlPlaneOption())
    .option('--data-dir <dir>', 'the data directory of heddle up (default: $HEDDLE_HOME, else ~/.heddle)')
    .option('--remote', 'also ask the control plane (default)', true)
    .option('--no-remote', 'print only the client version')
    .addOption(
      choiceOption('-o, --output <format>', 'text or one JSON object', ['text', 'json'] as const, {
        default: 'text',
      }),
    )
    .addHelpText('after', DETAILS)
    .action(async (options: VersionOptions) => {
      const { io } = context;
      let versions: Versions = { clientVersion: packageJson.version };
      if (options.remote) {
        const url = await runningControlPlaneUrl(options, io.env);
        versions = { ...versions, controlPlaneUrl: url, ...(await remoteVersions(url)) };
        if (versions.controlPlaneVersion === undefined)
          io.stderr.write(`heddle: no control plane answered at ${url}\n`);
      }
      io.stdout.write(options.output === 'json' ? `${JSON.stringify(versions)}\n` : textLines(versions));
      context.setExitCode(EXIT_CODES.OK);
    });
}

async function remoteVersions(url: string): Promise<Partial<Versions>> {
  const metrics = await get(`${url}/metrics`);
  const controlPlaneVersion = metrics === undefined ? undefined : PILOT_INFO.exec(metrics)?.[1];
  if (controlPlaneVersion === undefined) return {};
  const dataPlaneVersions: Record<string, number> = {};
  try {
    const proxies = JSON.parse((await get(`${url}/debug/syncz`)) ?? '[]') as { version?: string }[];
    for (const proxy of proxies) {
      const version = proxy.version ?? 'unknown';
      dataPlaneVersions[version] = (dataPlaneVersions[version] ?? 0) + 1;
    }
  } catch {
    // Versions of proxies are a bonus; the control plane's answer stands.
  }
  return { controlPlaneVersion, dataPlaneVersions };
}

async function get(url: string): Promise<string | undefined> {
  try {
    const response = await sendHttpRequest({ method: 'GET', url: new URL(url), timeoutMs: TIMEOUT_MS });
    return response.status === 200 ? response.body : undefined;
  } catch {
    return undefined;
  }
}

function textLines(versions: Versions): string {
  const lines = [`client version: ${versions.clientVersion}`];
  if (versions.controlPlaneVersion !== undefined) {
    lines.push(`control plane version: ${versions.controlPlaneVersion}`);
    const entries = Object.entries(versions.dataPlaneVersions ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const described = entries.map(
      ([version, count]) => `${version} (${count} ${count === 1 ? 'proxy' : 'proxies'})`,
    );
    lines.push(`data plane version: ${described.length > 0 ? described.join(', ') : 'none connected'}`);
  }
  return `${lines.join('\n')}\n`;
}
