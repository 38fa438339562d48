// Restates a usage error commander detected in Heddle's words: what is wrong, then what to do next.
import type { Command, CommanderError } from 'commander';
import { UsageError } from '../usage-error.ts';

/** commander ends a message with its spelling suggestion, e.g. "(Did you mean validate?)". */
const SUGGESTION = /\n\(Did you mean (?:one of )?(.+)\?\)$/;

export function toUsageError(error: CommanderError, command: Command): UsageError {
  const text = error.message.replace(/^error: /, '');
  const suggestions = SUGGESTION.exec(text)?.[1]?.split(', ') ?? [];
  const problem = text.replace(SUGGESTION, '');
  const path = commandPath(command);
  const helpHint = `Run '${path} --help' for usage.`;
  switch (error.code) {
    case 'commander.unknownCommand': {
      if (suggestions.length === 0) {
        const names = command.commands.map((sub) => sub.name());
        return new UsageError(problem, `Commands: ${names.join(', ')}. ${helpHint}`);
      }
      const guesses = suggestions.map((name) => `'${path} ${name}'`).join(' or ');
      return new UsageError(
        problem,
        `Did you mean ${guesses}? Run '${path} --help' for the list of commands.`,
      );
    }
    case 'commander.optionMissingArgument':
      // commander says "argument missing", which reads as if a positional argument were meant.
      return new UsageError(problem.replace(/ argument missing$/, ' needs a value'), helpHint);
    default: {
      const guess = suggestions.length > 0 ? `Did you mean ${suggestions.join(' or ')}? ` : '';
      return new UsageError(problem, `${guess}${helpHint}`);
    }
  }
}

/** `heddle validate`: the words a user types to reach the command. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at !== null; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
