// `heddle proxy-config`: the clusters, listeners, routes, endpoints and secrets last sent to a proxy, and
// what the control plane knows of its node (bootstrap), as istioctl proxy-config prints them.
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { CliError } from '../cli-error.ts';
import type { ConfigDump } from '../client/api-types.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { fetchWorkloads } from '../describe/mesh-reads.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import {
  nodeFromControlPlane,
  nodeFromDump,
  renderNodeView,
  type NodeView,
} from '../proxy-config/bootstrap-view.ts';
import { checkFilters, parsePortFilter, type ConfigFilters } from '../proxy-config/config-filters.ts';
import { CONFIG_SECTIONS, parseConfigSection } from '../proxy-config/config-sections.ts';
import { readDumpFile } from '../proxy-config/read-dump-file.ts';
import { renderProxyConfig, type ProxyConfigOutput } from '../proxy-config/render-proxy-config.ts';
import { findStatus } from '../proxy-status/find-status.ts';
import { UsageError } from '../usage-error.ts';

interface ProxyConfigOptions extends ConfigFilters {
  readonly output: ProxyConfigOutput;
  readonly controlPlane?: string;
  readonly file?: string;
}

const DIRECTIONS = ['inbound', 'outbound'] as const;
const HEALTH = ['HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'] as const;

const DETAILS = `
The proxy is named as proxy-status prints it (workload.namespace) or by its xDS node id. What is shown is
what the control plane last sent to it, in Envoy's config_dump form; with --file, a config dump saved from a
proxy's admin (/config_dump) is read instead, and no proxy name is needed.

For secrets that is the trust bundle (ROOTCA) and credentialName certificates sent over SDS; the workload
certificate ('default') is made by the proxy's own agent and shows in the proxy's admin /config_dump only.
bootstrap shows what the control plane knows of the proxy's node: id, role, version and connection from its
xDS stream; service account, labels, addresses and locality from the registry. From a --file dump it shows
the node the proxy announced, with its metadata.

Filters (as istioctl's): cluster --fqdn --port --subset --direction; listener --address --port;
route --name; endpoint --address --port --cluster --status. A filter for another type is a usage error.

Exit codes:
  0   printed
  1   no such proxy is connected
  64  usage error
  65  the --file dump cannot be read
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle proxy-config cluster productpage.shop --fqdn reviews --direction outbound
  heddle proxy-config listener productpage.shop --port 15001
  heddle proxy-config route productpage.shop --name 9080 -o json
  heddle proxy-config endpoint productpage.shop --cluster "outbound|9080|v1|reviews.shop.svc.cluster.local"
  heddle proxy-config secret productpage.shop
  heddle proxy-config bootstrap productpage.shop -o yaml
  heddle proxy-config all --file dump.json`;

export function buildProxyConfigCommand(context: CommandContext): Command {
  return new Command('proxy-config')
    .alias('pc')
    .summary('show the xDS config the control plane sent to a proxy')
    .description(`Shows the config the control plane last sent to one proxy: ${CONFIG_SECTIONS.join(', ')}.`)
    .argument('<type>', `${CONFIG_SECTIONS.join(', ')} (plurals and istioctl's short forms are accepted)`)
    .argument('[proxy]', 'the proxy: workload.namespace, as proxy-status prints it, or its xDS node id')
    .addOption(
      choiceOption('-o, --output <format>', 'output format', ['short', 'json', 'yaml'] as const, {
        default: 'short',
        aliases: { table: 'short' },
      }),
    )
    .addOption(new Option('--fqdn <host>', 'clusters whose service FQDN contains this'))
    .addOption(
      new Option('--port <port>', 'clusters, listeners or endpoints on this port').argParser(parsePortFilter),
    )
    .addOption(new Option('--subset <name>', 'clusters of this subset'))
    .addOption(new Option('--direction <direction>', 'clusters of this direction').choices(DIRECTIONS))
    .addOption(new Option('--name <name>', 'the route configuration of this name'))
    .addOption(new Option('--address <address>', 'listeners or endpoints at this address'))
    .addOption(new Option('--cluster <name>', 'endpoints of clusters whose name contains this'))
    .addOption(new Option('--status <status>', 'endpoints of this health status').choices(HEALTH))
    .addOption(
      new Option(
        '-f, --file <path>',
        'read a config dump saved from a proxy\'s admin, or "-" for standard input',
      ),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (typeArgument: string, proxy: string | undefined, options: ProxyConfigOptions) => {
      const section = parseConfigSection(typeArgument);
      if (!section) {
        throw new UsageError(
          `unknown config type '${typeArgument}'`,
          `Use one of: ${CONFIG_SECTIONS.join(', ')}.`,
        );
      }
      const filters = filtersOf(options);
      checkFilters(section, filters);
      if (proxy === undefined && options.file === undefined) {
        throw new UsageError(
          'name the proxy, or read a saved config dump with --file',
          "Example: 'heddle proxy-config cluster productpage.shop'.",
        );
      }
      const { io } = context;
      if (section === 'bootstrap') {
        const node = await bootstrapNode(context, options, proxy);
        io.stdout.write(renderNode(node, options.output));
        return;
      }
      const dump =
        options.file !== undefined
          ? await readDumpFile(options.file, io.stdin)
          : await sentDump(controlPlaneClient(options, io), proxy as string);
      io.stdout.write(renderProxyConfig(dump, section, options.output, { filters }));
    });
}

function filtersOf(options: ProxyConfigOptions): ConfigFilters {
  const { fqdn, port, subset, direction, name, address, cluster, status } = options;
  const all = { fqdn, port, subset, direction, name, address, cluster, status };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

async function sentDump(client: ControlPlaneClient, proxy: string): Promise<ConfigDump> {
  const dump = await client.configDump(proxy);
  if (!dump) throw notConnected(proxy, client.url);
  return dump;
}

async function bootstrapNode(
  context: CommandContext,
  options: ProxyConfigOptions,
  proxy: string | undefined,
): Promise<NodeView> {
  if (options.file !== undefined) {
    const node = nodeFromDump(await readDumpFile(options.file, context.io.stdin));
    if (!node) {
      throw new CliError(
        `${options.file} holds no bootstrap (no BootstrapConfigDump with a node)`,
        EXIT_CODES.UNREADABLE_INPUT,
      );
    }
    return node;
  }
  const client = controlPlaneClient(options, context.io);
  const status = findStatus(await client.proxyStatuses(), proxy as string);
  if (!status) throw notConnected(proxy as string, client.url);
  return nodeFromControlPlane(status, await fetchWorkloads(client.url));
}

function renderNode(node: NodeView, output: ProxyConfigOutput): string {
  switch (output) {
    case 'short':
      return renderNodeView(node);
    case 'json':
      return `${JSON.stringify(node, null, 2)}\n`;
    case 'yaml':
      return stringify(node, { lineWidth: 0 });
  }
}

function notConnected(proxy: string, url: string): CliError {
  return new CliError(
    `no proxy "${proxy}" is connected to the control plane at ${url} (see 'heddle proxy-status')`,
    EXIT_CODES.NOT_FOUND,
  );
}
