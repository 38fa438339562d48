// `heddle x`: the experimental verbs, as istioctl's `x`, made once here; each verb file builds its subcommand.
import { Command } from 'commander';
import { buildXAuthzCommand } from '../commands/x-authz-check.ts';
import { buildXCaCommand } from '../commands/x-ca.ts';
import { buildXDescribeCommand } from '../commands/x-describe.ts';
import { buildXLoadCommand } from '../commands/x-load.ts';
import { buildXMonitoringCommand } from '../commands/x-monitoring.ts';
import { buildXPrecheckCommand } from '../commands/x-precheck.ts';
import type { CommandBuilder, CommandContext } from './command-context.ts';

const X_VERBS: readonly CommandBuilder[] = [
  buildXAuthzCommand,
  buildXCaCommand,
  buildXDescribeCommand,
  buildXLoadCommand,
  buildXMonitoringCommand,
  buildXPrecheckCommand,
];

export function buildXCommand(context: CommandContext): Command {
  const x = new Command('x')
    .summary('experimental commands')
    .description('Experimental commands, as istioctl x: authz, ca, describe, load, monitoring, precheck.');
  for (const build of X_VERBS) x.addCommand(build(context));
  return x;
}
