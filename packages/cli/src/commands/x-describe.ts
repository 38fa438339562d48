// `heddle x describe service|workload`: how the mesh treats one service or workload, from the control
// plane's stored config, its registry and the config its proxies were sent (istioctl x describe svc|pod).
import { Command } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';

interface DescribeOptions {
  readonly namespace?: string;
  readonly output: 'text' | 'json';
  readonly controlPlane?: string;
}

const EXIT_CODES_HELP = `
Exit codes:
  0   printed
  1   no such service or workload
  64  usage error (the name exists in several namespaces: name one)
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer`;

const SERVICE_DETAILS = `
The service is named as name, name.namespace, or its host name (reviews.shop.svc.cluster.local). Shown:
its ports and endpoints; the DestinationRule that applies (subsets with their endpoint counts, traffic
policy); the client TLS callers use; the VirtualService rules for its host (match, weighted destinations,
faults, retries, timeouts); per workload behind it, the PeerAuthentication mTLS mode per port and the
AuthorizationPolicies that apply; the gateways whose VirtualServices route to it.
${EXIT_CODES_HELP}

Examples:
  heddle x describe service reviews.shop
  heddle x describe svc product -n shop -o json`;

const WORKLOAD_DETAILS = `
The workload is a WorkloadEntry or a workload registered by 'heddle run', named as name or name.namespace.
Shown: its address, service account and labels; its proxy's sync state and the policies its proxy was sent;
the mTLS mode per port and the AuthorizationPolicies that apply to it; then each service it backs, with the
DestinationRule subsets it belongs to marked.
${EXIT_CODES_HELP}

Examples:
  heddle x describe workload reviews-v1.shop
  heddle x describe pod product -n shop`;

function outputOption() {
  return choiceOption('-o, --output <format>', 'output format', ['text', 'json'] as const, {
    default: 'text',
  });
}

export function buildXDescribeCommand(context: CommandContext): Command {
  const { io } = context;
  const describe = new Command('describe')
    .summary('describe how the mesh treats a service or workload')
    .description('Describes the routing, subsets, mTLS and policies that apply to a service or a workload.');
  describe.addCommand(
    new Command('service')
      .alias('svc')
      .summary('describe a service: ports, routes, subsets, mTLS, policies, gateways')
      .description('Describes one service of the registry and every rule that applies to it.')
      .argument('<service>', 'name, name.namespace, or host name')
      .addOption(namespaceOption('namespace of the service (when the name has none)'))
      .addOption(outputOption())
      .addOption(controlPlaneOption())
      .addHelpText('after', SERVICE_DETAILS)
      .action(async (name: string, options: DescribeOptions) => {
        const { runDescribeService } = await import('../describe/run-describe.ts');
        const request = { name, namespace: options.namespace, output: options.output };
        io.stdout.write(await runDescribeService(controlPlaneClient(options, io), request));
      }),
  );
  describe.addCommand(
    new Command('workload')
      .alias('pod')
      .summary('describe a workload: its proxy, mTLS, policies and the services it backs')
      .description('Describes one workload, its proxy, and the rules of every service it backs.')
      .argument('<workload>', 'name or name.namespace')
      .addOption(namespaceOption('namespace of the workload (when the name has none)'))
      .addOption(outputOption())
      .addOption(controlPlaneOption())
      .addHelpText('after', WORKLOAD_DETAILS)
      .action(async (name: string, options: DescribeOptions) => {
        const { runDescribeWorkload } = await import('../describe/run-describe.ts');
        const request = { name, namespace: options.namespace, output: options.output };
        io.stdout.write(await runDescribeWorkload(controlPlaneClient(options, io), request));
      }),
  );
  return describe;
}
