// Secrets are not Istio config, so `get secrets` and `delete secret` are subcommands of the `get` and `delete`
// verbs (commander hands them the words after `secrets`); any other type still goes to the verb itself.
import type { Command } from 'commander';
import { buildDeleteSecretCommand } from '../commands/delete-secret.ts';
import { buildGetSecretsCommand } from '../commands/get-secrets.ts';
import type { CommandContext } from '../program/command-context.ts';

export function attachSecretCommands(program: Command, context: CommandContext): void {
  attach(program, 'get', buildGetSecretsCommand(context));
  attach(program, 'delete', buildDeleteSecretCommand(context));
}

function attach(program: Command, verb: string, subcommand: Command): void {
  const parent = program.commands.find((command) => command.name() === verb);
  if (!parent) return;
  // The verb's own options (-n, -o) must not swallow those meant for the subcommand.
  parent.enablePositionalOptions();
  parent.addCommand(subcommand);
}
