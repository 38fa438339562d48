// The part every completion script shares: from the words typed so far, which command the cursor is in.
// Written as `node/word` → child pairs, so a word that is an option value or an argument changes nothing.
import { allNodes, type CommandNode } from './command-tree.ts';

export interface WalkCase {
  /** Every `parent/word` that leads to the child (its name and aliases). */
  readonly patterns: readonly string[];
  readonly child: string;
}

export function walkCases(root: CommandNode): WalkCase[] {
  return allNodes(root).flatMap((node) =>
    node.subcommands.map((sub) => ({
      patterns: [sub.name, ...sub.aliases].map((word) => `${node.path.join(' ')}/${word}`),
      child: sub.path.join(' '),
    })),
  );
}

export function nodeKey(node: CommandNode): string {
  return node.path.join(' ');
}
