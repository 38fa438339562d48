// `heddle proxy-config`: the clusters, listeners, routes and endpoints last sent to a proxy.
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { CONFIG_SECTIONS, parseConfigSection } from '../proxy-config/config-sections.ts';
import { renderProxyConfig, type ProxyConfigOutput } from '../proxy-config/render-proxy-config.ts';
import { UsageError } from '../usage-error.ts';

interface ProxyConfigOptions {
  readonly output: ProxyConfigOutput;
  readonly controlPlane?: string;
}

const DETAILS = `
The proxy is named as proxy-status prints it (workload.namespace) or by its xDS node id. What is shown is
what the control plane last sent to it, in Envoy's config_dump form.

Exit codes:
  0   printed
  1   no such proxy is connected
  64  usage error
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle proxy-config cluster productpage.shop
  heddle proxy-config route productpage.shop -o json
  heddle proxy-config all productpage.shop -o yaml`;

export function buildProxyConfigCommand(context: CommandContext): Command {
  return new Command('proxy-config')
    .alias('pc')
    .summary('show the xDS config the control plane sent to a proxy')
    .description(`Shows the config the control plane last sent to one proxy: ${CONFIG_SECTIONS.join(', ')}.`)
    .argument('<type>', `${CONFIG_SECTIONS.join(', ')} (plurals and istioctl's short forms are accepted)`)
    .argument('<proxy>', 'the proxy: workload.namespace, as proxy-status prints it, or its xDS node id')
    .addOption(
      choiceOption('-o, --output <format>', 'output format', ['table', 'json', 'yaml'] as const, {
        default: 'table',
        aliases: { short: 'table' },
      }),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (typeArgument: string, proxy: string, options: ProxyConfigOptions) => {
      const section = parseConfigSection(typeArgument);
      if (!section) {
        throw new UsageError(
          `unknown config type '${typeArgument}'`,
          `Use one of: ${CONFIG_SECTIONS.join(', ')}.`,
        );
      }
      const client = controlPlaneClient(options, context.io);
      const dump = await client.configDump(proxy);
      if (!dump) {
        throw new CliError(
          `no proxy "${proxy}" is connected to the control plane at ${client.url} (see 'heddle proxy-status')`,
          EXIT_CODES.NOT_FOUND,
        );
      }
      context.io.stdout.write(renderProxyConfig(dump, section, options.output));
    });
}
