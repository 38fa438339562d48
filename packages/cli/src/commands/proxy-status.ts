// `heddle proxy-status [proxy]`: connected proxies and whether each holds the config last sent, like
// istioctl's; for one proxy, what the control plane sends compared with what the proxy holds.
import { Command, Option } from 'commander';
import { CliError } from '../cli-error.ts';
import type { ConfigDump } from '../client/api-types.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { wantsColor } from '../output/render-report.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { readDumpFile } from '../proxy-config/read-dump-file.ts';
import { compareDumps, renderComparison } from '../proxy-status/compare-dumps.ts';
import { fetchAdminDump } from '../proxy-status/fetch-admin-dump.ts';
import { findStatus } from '../proxy-status/find-status.ts';
import { colorComparison, colorStates } from '../proxy-status/status-colors.ts';
import { statusTable } from '../proxy-status/status-table.ts';
import { syncSummary } from '../proxy-status/sync-summary.ts';

type StatusOutput = 'table' | 'json';

interface ProxyStatusOptions {
  readonly output: StatusOutput;
  readonly controlPlane?: string;
  readonly file?: string;
  readonly admin?: string;
}

const DETAILS = `
Each xDS column is SYNCED (the proxy acknowledged what was last sent), STALE (sent, no answer yet),
NACKED (the proxy refused it and keeps its previous config) or NOT SENT. ECDS is never sent by Heddle.

With a proxy named, clusters, listeners, routes and endpoints the control plane sends are compared with
what the proxy holds: its own config dump, read from its admin (--admin) or a saved file (--file), shown
as a unified diff where they differ. Without either, each type is summed up from the proxy's ACKs and NACKs.

Exit codes:
  0   printed (with no proxy connected, the header and a note on stderr)
  1   the named proxy is not connected
  64  usage error
  65  the --file dump cannot be read
  69  the control plane cannot be reached
      (with --admin: or the proxy's admin)
  76  the control plane gave an unexpected answer

Examples:
  heddle proxy-status
  heddle proxy-status productpage.shop
  heddle proxy-status productpage.shop --admin http://127.0.0.1:15000
  curl -s localhost:15000/config_dump > dump.json && heddle proxy-status productpage.shop --file dump.json
  heddle proxy-status -o json | jq '.[] | select(.types[].status == "NACKED")'`;

export function buildProxyStatusCommand(context: CommandContext): Command {
  return new Command('proxy-status')
    .alias('ps')
    .summary('show the sync status of every connected proxy')
    .description(
      'Shows every proxy connected to the control plane and the sync status of each xDS type; for one proxy, the difference between what the control plane sends and what the proxy holds.',
    )
    .argument('[proxy]', 'one proxy: workload.namespace, as the table prints it, or its xDS node id')
    .addOption(
      choiceOption('-o, --output <format>', 'output format', ['table', 'json'] as const, {
        default: 'table',
      }),
    )
    .addOption(
      new Option('-f, --file <path>', 'the proxy\'s own config dump (JSON), or "-" for standard input'),
    )
    .addOption(
      new Option('--admin <url>', "the proxy's admin address, to read its config dump from").conflicts(
        'file',
      ),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (proxy: string | undefined, options: ProxyStatusOptions) => {
      const client = controlPlaneClient(options, context.io);
      const color = wantsColor(context.io.stdout.isTTY, context.io.env);
      if (proxy !== undefined) {
        await showOneProxy(context, client, proxy, options, color);
        return;
      }
      const statuses = await client.proxyStatuses();
      if (options.output === 'json') {
        context.io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
        return;
      }
      const table = statusTable(statuses);
      context.io.stdout.write(color ? colorStates(table) : table);
      if (statuses.length === 0) {
        context.io.stderr.write(`No proxies are connected to the control plane at ${client.url}.\n`);
      }
    });
}

async function showOneProxy(
  context: CommandContext,
  client: ControlPlaneClient,
  proxy: string,
  options: ProxyStatusOptions,
  color: boolean,
): Promise<void> {
  const { io } = context;
  const notConnected = (): CliError =>
    new CliError(
      `no proxy "${proxy}" is connected to the control plane at ${client.url} (see 'heddle proxy-status')`,
      EXIT_CODES.NOT_FOUND,
    );
  const held = await proxyView(options, io.stdin);
  if (held === undefined) {
    const status = findStatus(await client.proxyStatuses(), proxy);
    if (!status) throw notConnected();
    io.stdout.write(options.output === 'json' ? `${JSON.stringify(status, null, 2)}\n` : syncSummary(status));
    return;
  }
  const sent = await client.configDump(proxy);
  if (!sent) throw notConnected();
  // Both sides through one JSON mapping, so that only content (not spelling or key order) can differ.
  const { normalizeConfigDump } = await import('../proxy-config/normalize-config-dump.ts');
  const comparisons = compareDumps(normalizeConfigDump(sent), held);
  if (options.output === 'json') {
    io.stdout.write(`${JSON.stringify(comparisons, null, 2)}\n`);
    return;
  }
  const text = renderComparison(comparisons);
  io.stdout.write(color ? colorComparison(text) : text);
}

function proxyView(
  options: ProxyStatusOptions,
  stdin: AsyncIterable<Buffer | string>,
): Promise<ConfigDump | undefined> {
  if (options.file !== undefined) return readDumpFile(options.file, stdin);
  if (options.admin !== undefined) return fetchAdminDump(options.admin);
  return Promise.resolve(undefined);
}
