// The completion script for one shell, generated from the program's own command tree so it never goes stale.
import type { Command } from 'commander';
import { CONFIG_SECTIONS } from '../proxy-config/config-sections.ts';
import { RESOURCE_TYPES } from '../resources/resource-types.ts';
import { bashCompletion } from './bash-completion.ts';
import { commandTree } from './command-tree.ts';
import { fishCompletion } from './fish-completion.ts';
import { zshCompletion } from './zsh-completion.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Words for a command's first argument that commander does not know as choices (they take aliases too). */
function argumentWords(): Record<string, readonly string[]> {
  const types = RESOURCE_TYPES.map((type) => type.plural);
  return { 'proxy-config': CONFIG_SECTIONS, get: types, delete: types };
}

export function completionScript(program: Command, shell: Shell): string {
  const tree = commandTree(program, argumentWords());
  switch (shell) {
    case 'bash':
      return bashCompletion(tree);
    case 'zsh':
      return zshCompletion(tree);
    case 'fish':
      return fishCompletion(tree);
  }
}
