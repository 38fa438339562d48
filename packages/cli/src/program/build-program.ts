// The `heddle` program: a root command with one subcommand per verb file in src/commands/.
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { buildApplyCommand } from '../commands/apply.ts';
import { buildControlCommand } from '../commands/control.ts';
import { buildDeleteCommand } from '../commands/delete.ts';
import { buildGetCommand } from '../commands/get.ts';
import { buildProxyConfigCommand } from '../commands/proxy-config.ts';
import { buildProxyStatusCommand } from '../commands/proxy-status.ts';
import { buildValidateCommand } from '../commands/validate.ts';
import type { CommandBuilder, CommandContext } from './command-context.ts';
import { configureCommand } from './configure-command.ts';

const VERBS: readonly CommandBuilder[] = [
  buildValidateCommand,
  buildControlCommand,
  buildApplyCommand,
  buildGetCommand,
  buildDeleteCommand,
  buildProxyStatusCommand,
  buildProxyConfigCommand,
];

export function buildProgram(context: CommandContext): Command {
  const program = new Command('heddle')
    .version(packageJson.version)
    .usage('<command> [options]')
    .description("A service mesh that speaks Istio's configuration API and runs anywhere.")
    // `heddle`'s own options (--version, --help) count only before the verb; what follows belongs to the verb.
    .enablePositionalOptions();
  for (const build of VERBS) program.addCommand(build(context));
  return configureCommand(program, context.io);
}
