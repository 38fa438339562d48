// What `heddle run --capture transparent` needs before it touches anything: Linux (network namespaces,
// iptables), root, the tools it runs, and the proxy's SO_ORIGINAL_DST addon. Each missing piece is one line.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError } from '../../cli-error.ts';
import { EXIT_CODES } from '../../exit-codes.ts';
import { ENTRY_POINTS } from '../../supervisor/entry-points.ts';

/** Each tool and the Debian package that has it. */
export const REQUIRED_TOOLS: readonly { readonly command: string; readonly debianPackage: string }[] = [
  { command: 'ip', debianPackage: 'iproute2' },
  { command: 'iptables', debianPackage: 'iptables' },
  { command: 'iptables-restore', debianPackage: 'iptables' },
  { command: 'setpriv', debianPackage: 'util-linux' },
];

/** Built by `npm run generate -w @heddle/proxy`; without it the sidecar cannot tell where a connection was going. */
export const ORIGINAL_DST_ADDON = join(
  ENTRY_POINTS.proxy,
  '..',
  '..',
  'native',
  'build',
  'original_dst.node',
);

export interface PreflightFacts {
  readonly platform: NodeJS.Platform;
  readonly uid: number | undefined;
  readonly path: string;
  readonly addon: string;
}

export function currentFacts(env: Readonly<Record<string, string | undefined>>): PreflightFacts {
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    path: env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    addon: ORIGINAL_DST_ADDON,
  };
}

/** Throws a one-line CliError (exit 69) naming the first thing missing. */
export function checkTransparentCapture(facts: PreflightFacts): void {
  const refuse = (reason: string): never => {
    throw new CliError(`--capture transparent ${reason}`, EXIT_CODES.UNAVAILABLE);
  };
  if (facts.platform !== 'linux')
    refuse(`needs Linux (network namespaces and iptables); this is ${facts.platform}`);
  if (facts.uid !== 0)
    refuse('needs root (it creates a network namespace and iptables rules); run it with sudo');
  for (const tool of REQUIRED_TOOLS) {
    if (findOnPath(tool.command, facts.path) === undefined)
      refuse(
        `needs \`${tool.command}\`, which is not on PATH (install the Debian package ${tool.debianPackage})`,
      );
  }
  if (!existsSync(facts.addon))
    refuse(
      `needs the proxy's SO_ORIGINAL_DST addon ${facts.addon} (build it with \`npm run generate -w @heddle/proxy\`, which needs a C compiler)`,
    );
}

export function findOnPath(command: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
