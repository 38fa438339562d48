// Options a user typed before the subcommand word (`heddle get -n shop secrets`) belong to the parent verb in
// commander; the subcommand takes them as its own unless it was given them itself.
import type { Command } from 'commander';

export function withParentOptions<T>(command: Command): T {
  const merged: Record<string, unknown> = { ...command.opts() };
  const parent = command.parent;
  if (parent) {
    for (const [key, value] of Object.entries(parent.opts())) {
      if (parent.getOptionValueSource(key) === 'cli' && command.getOptionValueSource(key) !== 'cli')
        merged[key] = value;
    }
  }
  return merged as T;
}
