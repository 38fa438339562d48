// `heddle proxy-status`: connected proxies and whether each holds the config last sent, like istioctl's.
import { Command } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { statusTable } from '../proxy-status/status-table.ts';

type StatusOutput = 'table' | 'json';

interface ProxyStatusOptions {
  readonly output: StatusOutput;
  readonly controlPlane?: string;
}

const DETAILS = `
Each xDS column is SYNCED (the proxy acknowledged what was last sent), STALE (sent, no answer yet),
NACKED (the proxy refused it and keeps its previous config) or NOT SENT.

Exit codes:
  0   printed (with no proxy connected, the header and a note on stderr)
  64  usage error
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle proxy-status
  heddle proxy-status -o json | jq '.[] | select(.types[].status == "NACKED")'`;

export function buildProxyStatusCommand(context: CommandContext): Command {
  return new Command('proxy-status')
    .alias('ps')
    .summary('show the sync status of every connected proxy')
    .description('Shows every proxy connected to the control plane and the sync status of each xDS type.')
    .addOption(
      choiceOption('-o, --output <format>', 'output format', ['table', 'json'] as const, {
        default: 'table',
      }),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (options: ProxyStatusOptions) => {
      const client = controlPlaneClient(options, context.io);
      const statuses = await client.proxyStatuses();
      if (options.output === 'json') {
        context.io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
        return;
      }
      context.io.stdout.write(statusTable(statuses));
      if (statuses.length === 0) {
        context.io.stderr.write(`No proxies are connected to the control plane at ${client.url}.\n`);
      }
    });
}
