// `heddle completion fish`: `complete` rules for fish, each guarded by the command the cursor is in.
import { allNodes, type CommandNode, type OptionNode } from './command-tree.ts';
import { fishQuote as q } from './shell-quote.ts';
import { nodeKey, walkCases } from './walk-cases.ts';

export function fishCompletion(root: CommandNode): string {
  const walk = walkCases(root)
    .map((c) => `            case ${c.patterns.map(q).join(' ')}\n                set node ${q(c.child)}`)
    .join('\n');
  const rules = allNodes(root).flatMap((node) => {
    const when = `-n ${q(`__heddle_in ${q(nodeKey(node))}`)}`;
    return [
      ...node.subcommands.flatMap((sub) =>
        [sub.name, ...sub.aliases].map(
          (word) => `complete -c heddle ${when} -a ${q(word)} -d ${q(sub.summary)}`,
        ),
      ),
      ...(node.argumentWords.length > 0
        ? [`complete -c heddle ${when} -a ${q(node.argumentWords.join(' '))}`]
        : []),
      ...node.options.map((option) => `complete -c heddle ${when} ${optionRule(option)}`),
    ];
  });
  return `# fish completion for heddle; load it with: heddle completion fish | source
# (or save it as ~/.config/fish/completions/heddle.fish)
function __heddle_node
    set -l node heddle
    for word in (commandline -opc)[2..-1]
        switch "$node/$word"
${walk}
        end
    end
    echo $node
end

function __heddle_in
    test (__heddle_node) = "$argv[1]"
end

complete -c heddle -f
${rules.join('\n')}
`;
}

function optionRule(option: OptionNode): string {
  const parts: string[] = [];
  for (const flag of option.flags) {
    if (flag.startsWith('--')) parts.push(`-l ${flag.slice(2)}`);
    else parts.push(`-s ${flag.slice(1)}`);
  }
  if (option.takesValue) parts.push(option.file ? '-r -F' : '-x');
  if (option.values.length > 0) parts.push(`-a ${q(option.values.join(' '))}`);
  parts.push(`-d ${q(option.description)}`);
  return parts.join(' ');
}
