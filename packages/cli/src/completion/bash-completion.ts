// `heddle completion bash`: a completion function for bash (and zsh through bashcompinit, if one prefers).
import { allNodes, type CommandNode } from './command-tree.ts';
import { singleQuote as q } from './shell-quote.ts';
import { nodeKey, walkCases } from './walk-cases.ts';

export function bashCompletion(root: CommandNode): string {
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
            ? 'COMPREPLY=( $(compgen -f -- "$cur") )'
            : option.values.length > 0
              ? `COMPREPLY=( $(compgen -W ${q(option.values.join(' '))} -- "$cur") )`
              : 'COMPREPLY=()';
          return `    ${patterns}) ${reply}; return ;;`;
        }),
    )
    .join('\n');
  const words = allNodes(root)
    .map((node) => `    ${q(nodeKey(node))}) words=${q(wordsOf(node).join(' '))} ;;`)
    .join('\n');
  return `# bash completion for heddle; load it with: source <(heddle completion bash)
_heddle_completions() {
  local cur prev node word words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  node='heddle'
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    case "\${node}/\${word}" in
${walk}
    esac
  done
  case "\${node}/\${prev}" in
${values}
  esac
  words=''
  case "\${node}" in
${words}
  esac
  COMPREPLY=( $(compgen -W "\${words}" -- "$cur") )
}
complete -F _heddle_completions heddle
`;
}

function wordsOf(node: CommandNode): string[] {
  return [
    ...node.subcommands.flatMap((sub) => [sub.name, ...sub.aliases]),
    ...node.argumentWords,
    ...node.options.flatMap((option) => option.flags),
  ];
}
