// `heddle get`: shows the resources stored in the control plane, like `kubectl get`.
import { Command, Option } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import { GET_OUTPUTS, type GetOutput } from '../get/get-output.ts';
import { runGet } from '../get/run-get.ts';
import { parseResourceTypes } from '../resources/parse-resource-types.ts';
import { UsageError } from '../usage-error.ts';

interface GetOptions {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly output: GetOutput;
  readonly controlPlane?: string;
}

const DETAILS = `
Types take kubectl's names: plural, singular or short (virtualservices, virtualservice, vs), or a comma
list (vs,dr). Short names: vs, dr, gw, se, we, wg, pa, ap, ra, iop, ns, svc, cm, sa, deploy.

Exit codes:
  0   printed (an empty listing says "No resources found" on stderr)
  1   a named resource does not exist
  64  usage error (unknown type, a name with -A or with several types)
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle get vs
  heddle get virtualservices reviews -n shop -o yaml
  heddle get dr,se -A
  heddle get vs -A -o yaml > backup.yaml`;

export function buildGetCommand(context: CommandContext): Command {
  return new Command('get')
    .summary('show resources stored in the control plane')
    .description('Shows the Istio resources stored in the control plane, like kubectl get.')
    .argument('<type>', 'resource type, e.g. virtualservices, vs, destinationrules, dr; or a comma list')
    .argument('[names...]', 'names of resources to show; all of the type when none')
    .addOption(namespaceOption('namespace to look in (default: "default")'))
    .addOption(new Option('-A, --all-namespaces', 'look in every namespace').conflicts('namespace'))
    .addOption(
      choiceOption('-o, --output <format>', 'output format', GET_OUTPUTS, {
        default: 'table',
        aliases: { wide: 'table' },
      }),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (typeArgument: string, names: readonly string[], options: GetOptions) => {
      const types = parseResourceTypes(typeArgument, 'get');
      if (names.length > 0 && types.length > 1) {
        throw new UsageError(
          'names can only be given with a single resource type',
          "Example: 'heddle get vs reviews'.",
        );
      }
      if (names.length > 0 && options.allNamespaces) {
        throw new UsageError(
          'a resource cannot be read by name across all namespaces',
          "Name the namespace instead: 'heddle get vs reviews -n shop'.",
        );
      }
      const client = controlPlaneClient(options, context.io);
      const namespace = options.allNamespaces ? undefined : (options.namespace ?? 'default');
      const request = { types, names, namespace, output: options.output, now: new Date() };
      context.setExitCode(await runGet(request, client, context.io));
    });
}
