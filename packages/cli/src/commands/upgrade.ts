// `heddle upgrade`: moves the mesh to another revision's control plane (canary upgrade), rolls back, or
// with -f re-installs in place (istioctl upgrade -f).
import { Command, Option } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { UsageError } from '../usage-error.ts';
import { dataDirOf } from '../install/data-dir-of.ts';
import {
  addDataDirOption,
  addOperatorOptions,
  addUpOptions,
  upRequestOf,
  type UpOptionValues,
} from '../install/install-options.ts';
import { normalizeRevision } from '../install/install-state.ts';
import { runInstall } from '../install/run-install.ts';
import { runUpgrade } from '../install/run-upgrade.ts';

interface UpgradeOptions extends UpOptionValues {
  readonly filename?: readonly string[];
  readonly set?: readonly string[];
  readonly revision?: string;
  readonly rollback?: boolean;
  readonly verify?: boolean;
}

const DETAILS = `
Canary upgrade, after \`heddle install --revision R\`: \`heddle upgrade --revision R\` moves every workload
started by heddle run to R's control plane, one at a time, each once the previous is SYNCED there, then the
gateways. Proxies are not restarted: each reconnects to the new control plane and serves on its last
config meanwhile, so requests keep flowing. \`heddle upgrade --rollback\` moves everything back to the
revision the last upgrade started from (\`--revision default\` moves to the default revision). Remove the old
revision afterwards with \`heddle uninstall --revision <old>\`.

With -f (no --revision), re-installs that IstioOperator in place, as \`heddle install -f\` does.

Exit codes:
  0   upgraded (and verified, with --verify)
  1   the revision is not installed, or there is no upgrade to roll back
  64  usage error
  69  Heddle is not running, or a workload or gateway did not become SYNCED in time

Examples:
  heddle install -f istio-1-13.yaml --revision 1-13
  heddle upgrade --revision 1-13 --verify
  heddle upgrade --rollback`;

export function buildUpgradeCommand(context: CommandContext): Command {
  const command = new Command('upgrade')
    .summary('move workloads and gateways to another revision (canary upgrade)')
    .description("Moves the mesh's workloads and gateways to a revision's control plane, or back.");
  addOperatorOptions(command);
  addDataDirOption(command);
  addUpOptions(command);
  return command
    .option('--rollback', 'move back to the revision the last upgrade started from')
    .option('--verify', 'run verify-install afterwards')
    .addOption(new Option('-y, --skip-confirmation', 'accepted for istioctl compatibility').hideHelp())
    .addHelpText('after', DETAILS)
    .action(async (options: UpgradeOptions) => {
      const inPlace = options.filename !== undefined || options.set !== undefined;
      if (inPlace && (options.rollback || options.revision !== undefined))
        throw new UsageError(
          '-f/--set re-install in place; --revision and --rollback move to another revision',
          'Use one or the other.',
        );
      if (inPlace) {
        const request = {
          files: options.filename ?? [],
          sets: options.set ?? [],
          verify: options.verify === true,
          output: 'text' as const,
          up: upRequestOf(options),
        };
        context.setExitCode(await runInstall(request, context.io));
        return;
      }
      if (options.revision === undefined && !options.rollback)
        throw new UsageError(
          'give --revision <rev>, --rollback, or -f <file>',
          "Run 'heddle upgrade --help' for usage.",
        );
      const code = await runUpgrade(
        {
          dataDir: dataDirOf(options, context.io),
          ...(options.revision !== undefined ? { revision: normalizeRevision(options.revision) } : {}),
          rollback: options.rollback === true,
          verify: options.verify === true,
          timeoutMs: options.timeout * 1000,
        },
        context.io,
      );
      context.setExitCode(code);
    });
}
