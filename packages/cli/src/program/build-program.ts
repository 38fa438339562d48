// The `heddle` program: a root command with one subcommand per verb file in src/commands/.
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { buildAnalyzeCommand } from '../commands/analyze.ts';
import { buildApplyCommand } from '../commands/apply.ts';
import { buildCompletionCommand } from '../commands/completion.ts';
import { buildControlCommand } from '../commands/control.ts';
import { buildCreateCommand } from '../commands/create-secret.ts';
import { buildDashboardCommand } from '../commands/dashboard.ts';
import { buildDeleteCommand } from '../commands/delete.ts';
import { buildDemoCommand } from '../commands/demo.ts';
import { buildDownCommand } from '../commands/down.ts';
import { buildGetCommand } from '../commands/get.ts';
import { buildInstallCommand } from '../commands/install.ts';
import { buildManifestCommand } from '../commands/manifest.ts';
import { buildProxyConfigCommand } from '../commands/proxy-config.ts';
import { buildProxyStatusCommand } from '../commands/proxy-status.ts';
import { buildRunCommand } from '../commands/run.ts';
import { buildUninstallCommand } from '../commands/uninstall.ts';
import { buildUpgradeCommand } from '../commands/upgrade.ts';
import { buildUpCommand } from '../commands/up.ts';
import { buildValidateCommand } from '../commands/validate.ts';
import { buildVerifyInstallCommand } from '../commands/verify-install.ts';
import { buildVersionCommand } from '../commands/version.ts';
import { attachSecretCommands } from '../secrets/attach-secret-commands.ts';
import type { CommandBuilder, CommandContext } from './command-context.ts';
import { configureCommand } from './configure-command.ts';
import { buildXCommand } from './x-command.ts';

const VERBS: readonly CommandBuilder[] = [
  buildValidateCommand,
  buildControlCommand,
  buildApplyCommand,
  buildCreateCommand,
  buildGetCommand,
  buildDeleteCommand,
  buildProxyStatusCommand,
  buildProxyConfigCommand,
  buildUpCommand,
  buildDownCommand,
  buildRunCommand,
  buildInstallCommand,
  buildVerifyInstallCommand,
  buildUpgradeCommand,
  buildUninstallCommand,
  buildManifestCommand,
  buildDemoCommand,
  buildDashboardCommand,
  buildVersionCommand,
  buildXCommand,
  buildCompletionCommand,
  buildAnalyzeCommand,
];

export function buildProgram(context: CommandContext): Command {
  const program = new Command('heddle')
    .version(packageJson.version)
    .usage('<command> [options]')
    .description("A service mesh that speaks Istio's configuration API and runs anywhere.")
    // `heddle`'s own options (--version, --help) count only before the verb; what follows belongs to the verb.
    .enablePositionalOptions();
  for (const build of VERBS) program.addCommand(build(context));
  attachSecretCommands(program, context);
  return configureCommand(program, context.io);
}
