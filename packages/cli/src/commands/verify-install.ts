// `heddle verify-install`: checks the running mesh against the installation (istioctl verify-install).
import { Command } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { findingLines } from '../output/finding-lines.ts';
import { dataDirOf } from '../install/data-dir-of.ts';
import { addDataDirOption, addOperatorOptions } from '../install/install-options.ts';
import { planInstall } from '../install/install-plan.ts';
import { normalizeRevision } from '../install/install-state.ts';
import { readOperator } from '../install/read-operator.ts';
import { parseSetOverride } from '../install/set-overrides.ts';
import { runVerifyInstall } from '../install/verify-install.ts';

interface VerifyOptions {
  readonly dataDir?: string;
  readonly filename?: readonly string[];
  readonly set?: readonly string[];
  readonly revision?: string;
}

const DETAILS = `
Without -f, checks every installed revision: its control plane is ready and reads the meshConfig the
IstioOperator gave it, and each of its gateways is ready and SYNCED with the control plane it follows. With
-f (and --set, --revision), checks the running mesh against that IstioOperator instead.

Exit codes:
  0   everything matches
  69  Heddle is not running
  79  a check failed, or the IstioOperator given has errors

Examples:
  heddle verify-install
  heddle verify-install -f production-profile.yaml`;

export function buildVerifyInstallCommand(context: CommandContext): Command {
  const command = new Command('verify-install')
    .summary('check that the running mesh matches the installation')
    .description('Checks control planes, gateways and meshConfig against the installed IstioOperator.');
  addOperatorOptions(command);
  addDataDirOption(command);
  return command.addHelpText('after', DETAILS).action(async (options: VerifyOptions) => {
    const dataDir = dataDirOf(options, context.io);
    let plans;
    if (options.filename !== undefined || options.set !== undefined) {
      const input = await readOperator(
        options.filename ?? [],
        (options.set ?? []).map(parseSetOverride),
        context.io.stdin,
      );
      if (input.failed) {
        const errors = input.findings.filter((finding) => finding.level === 'Error');
        context.io.stderr.write(findingLines(errors, false));
        throw new CliError(`the IstioOperator is not valid (${errors.length} errors)`, EXIT_CODES.FINDINGS);
      }
      const revision = options.revision !== undefined ? normalizeRevision(options.revision) : undefined;
      plans = [planInstall(input.spec, input.name, revision)];
    }
    context.setExitCode(await runVerifyInstall({ dataDir, ...(plans ? { plans } : {}) }, context.io));
  });
}
