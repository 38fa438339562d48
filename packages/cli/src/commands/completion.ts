// `heddle completion bash|zsh|fish`: prints a shell completion script for every verb, option and choice.
import { Argument, Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion/completion-script.ts';
import type { CommandContext } from '../program/command-context.ts';

const DETAILS = `
The script completes verbs, subcommands, options, the values of options with fixed choices, file names
for file options, and the config types of proxy-config and resource types of get and delete.

Examples:
  source <(heddle completion bash)                       # this shell; add it to ~/.bashrc to keep it
  heddle completion zsh > "\${fpath[1]}/_heddle"          # zsh, then start a new shell
  heddle completion fish > ~/.config/fish/completions/heddle.fish`;

export function buildCompletionCommand(context: CommandContext): Command {
  return new Command('completion')
    .summary('print a shell completion script')
    .description('Prints a completion script for bash, zsh or fish.')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', DETAILS)
    .action((shell: Shell, _options: unknown, command: Command) => {
      let root = command;
      while (root.parent) root = root.parent;
      context.io.stdout.write(completionScript(root, shell));
    });
}
