// `heddle completion zsh`: a native zsh completion function, with the summary of each command shown.
import { allNodes, type CommandNode } from './command-tree.ts';
import { singleQuote as q } from './shell-quote.ts';
import { nodeKey, walkCases } from './walk-cases.ts';

export function zshCompletion(root: CommandNode): string {
  const walk = walkCases(root)
    .map((c) => `      ${c.patterns.map(q).join('|')}) node=${q(c.child)} ;;`)
    .join('\n');
  const values = allNodes(root)
    .flatMap((node) =>
      node.options
        .filter((option) => option.takesValue)
        .map((option) => {
          const patterns = option.flags.map((flag) => q(`${nodeKey(node)}/${flag}`)).join('|');
          const reply = option.file
            ? '_files'
            : option.values.length > 0
              ? `compadd -- ${option.values.map(q).join(' ')}`
              : `_message ${q(option.description || 'value')}`;
          return `    ${patterns}) ${reply}; return ;;`;
        }),
    )
    .join('\n');
  const lists = allNodes(root)
    .map((node) => {
      const commands = node.subcommands.flatMap((sub) =>
        [sub.name, ...sub.aliases].map((word) => q(`${word}:${sub.summary.replace(/:/g, '\\:')}`)),
      );
      const options = node.options.flatMap((option) => option.flags).map(q);
      const argwords = node.argumentWords.map(q);
      return [
        `    ${q(nodeKey(node))})`,
        `      subcmds=(${commands.join(' ')})`,
        `      argwords=(${argwords.join(' ')})`,
        `      flags=(${options.join(' ')}) ;;`,
      ].join('\n');
    })
    .join('\n');
  return `#compdef heddle
# zsh completion for heddle; load it with: source <(heddle completion zsh)
# (or save it as _heddle in a directory of $fpath)
_heddle() {
  local node='heddle' word prev i
  local -a subcmds argwords flags
  for (( i = 2; i < CURRENT; i++ )); do
    word=\${words[i]}
    case "\${node}/\${word}" in
${walk}
    esac
  done
  prev=\${words[CURRENT-1]}
  case "\${node}/\${prev}" in
${values}
  esac
  case "\${node}" in
${lists}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    compadd -- \${flags[@]}
  else
    (( \${#subcmds} )) && _describe -t commands 'command' subcmds
    (( \${#argwords} )) && compadd -- \${argwords[@]}
  fi
}
if (( \${+functions[compdef]} )); then
  compdef _heddle heddle
fi
`;
}
