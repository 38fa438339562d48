// The `heddle` command tree as completion scripts need it: per command path, its subcommands (with aliases
// and summaries), its options, the values an option takes, and the words its first argument takes.
import type { Command, Option } from 'commander';

export interface OptionNode {
  /** Every spelling: `-o`, `--output`. */
  readonly flags: readonly string[];
  readonly description: string;
  /** True when the option is followed by a value. */
  readonly takesValue: boolean;
  /** The values offered (choices); a file path when `file` is set. */
  readonly values: readonly string[];
  readonly file: boolean;
}

export interface CommandNode {
  /** Words from `heddle` down, e.g. `['heddle', 'x', 'describe']`. */
  readonly path: readonly string[];
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly options: readonly OptionNode[];
  readonly subcommands: readonly CommandNode[];
  /** Words for the first positional argument (e.g. proxy-config's types). */
  readonly argumentWords: readonly string[];
}

/** Options whose value is a path: completed with file names. */
const FILE_OPTIONS = new Set(['--file', '--filename', '--data-dir', '--cert', '--key']);

export function commandTree(
  command: Command,
  argumentWords: Readonly<Record<string, readonly string[]>>,
  parent: readonly string[] = [],
): CommandNode {
  const path = [...parent, command.name()];
  const key = path.slice(1).join(' ');
  return {
    path,
    name: command.name(),
    aliases: command.aliases(),
    summary: command.summary() || firstSentence(command.description()),
    options: [...command.options.filter((option) => !option.hidden).map(optionNode), HELP],
    subcommands: command.commands
      .filter((sub) => sub.name() !== 'help')
      .map((sub) => commandTree(sub, argumentWords, path)),
    argumentWords: argumentWords[key] ?? command.registeredArguments.flatMap((arg) => arg.argChoices ?? []),
  };
}

const HELP: OptionNode = {
  flags: ['-h', '--help'],
  description: 'display help for command',
  takesValue: false,
  values: [],
  file: false,
};

function optionNode(option: Option): OptionNode {
  const flags = [option.short, option.long].filter((flag): flag is string => flag !== undefined);
  return {
    flags,
    description: option.description,
    takesValue: option.required || option.optional,
    values: option.argChoices ?? [],
    file: flags.some((flag) => FILE_OPTIONS.has(flag)),
  };
}

function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return (end < 0 ? text : text.slice(0, end)).replace(/\.$/, '');
}

/** Every node, depth first. */
export function allNodes(root: CommandNode): CommandNode[] {
  return [root, ...root.subcommands.flatMap(allNodes)];
}
