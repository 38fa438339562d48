// `heddle uninstall`: removes a revision, or with --purge every installation (istioctl uninstall).
import { Command, Option } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { UsageError } from '../usage-error.ts';
import { dataDirOf } from '../install/data-dir-of.ts';
import { addDataDirOption, parseRevision, parseSeconds } from '../install/install-options.ts';
import { normalizeRevision } from '../install/install-state.ts';
import { runUninstall } from '../install/run-uninstall.ts';

interface UninstallOptions {
  readonly dataDir?: string;
  readonly revision?: string;
  readonly purge?: boolean;
  readonly timeout: number;
}

const DETAILS = `
--revision R stops revision R's control plane and removes its meshConfig (ConfigMap istio-system/istio-R);
it is refused while workloads or gateways still follow R (move them with heddle upgrade). Without
--revision the default revision's installation is removed (heddle up's own control plane and gateway keep
running with Istio's defaults). --purge removes every installation and stops Heddle.

Exit codes:
  0   uninstalled (or it was not installed)
  64  usage error
  69  workloads or gateways still follow the revision, or Heddle did not apply the change

Examples:
  heddle uninstall --revision 1-12
  heddle uninstall --purge`;

export function buildUninstallCommand(context: CommandContext): Command {
  const command = new Command('uninstall')
    .summary('remove an installed revision, or everything with --purge')
    .description(
      'Removes an installation: a revision with its control plane and meshConfig, or all of them.',
    );
  addDataDirOption(command);
  return command
    .addOption(
      new Option('-r, --revision <rev>', 'the revision to remove ("default" for the default one)').argParser(
        parseRevision,
      ),
    )
    .option('--purge', 'remove every installation and stop Heddle')
    .addOption(
      new Option('--timeout <seconds>', 'how long to wait for Heddle to apply it')
        .default(60)
        .argParser(parseSeconds),
    )
    .addHelpText('after', DETAILS)
    .action(async (options: UninstallOptions) => {
      if (options.purge && options.revision !== undefined)
        throw new UsageError('--purge and --revision cannot be combined', '--purge removes every revision.');
      const code = await runUninstall(
        {
          dataDir: dataDirOf(options, context.io),
          revision: normalizeRevision(options.revision),
          purge: options.purge === true,
          timeoutMs: options.timeout * 1000,
          cwd: process.cwd(),
        },
        context.io,
      );
      context.setExitCode(code);
    });
}
