// Puts a command tree on Heddle's conventions: output through CliIo, and usage errors thrown as UsageError.
import type { Command, CommanderError } from 'commander';
import type { CliIo } from '../cli-io.ts';
import { wantsColor } from '../output/render-report.ts';
import { toUsageError } from './to-usage-error.ts';

/** What commander "exits" with after printing help or the version: a normal end, not an error. */
const FINISHED = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

export function configureCommand(command: Command, io: CliIo): Command {
  command
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // main prints every usage error in one shape, from the UsageError the exit override throws.
      outputError: () => undefined,
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => wantsColor(io.stdout.isTTY, io.env),
      getErrHasColors: () => wantsColor(io.stderr.isTTY, io.env),
    })
    .showSuggestionAfterError()
    // Each command gets its own override so the hint can name the command the user was typing.
    .exitOverride((error: CommanderError): never => {
      throw FINISHED.has(error.code) ? error : toUsageError(error, command);
    });
  for (const subcommand of command.commands) configureCommand(subcommand, io);
  return command;
}
