// `heddle delete`: removes resources from the control plane by file or by name, like `kubectl delete`.
import { Command } from 'commander';
import { deleteFiles, deleteNames } from '../delete/run-delete.ts';
import { appendValue } from '../program/append-value.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import { parseResourceTypes } from '../resources/parse-resource-types.ts';
import { UsageError } from '../usage-error.ts';

interface DeleteOptions {
  readonly filename?: readonly string[];
  readonly namespace?: string;
  readonly ignoreNotFound?: boolean;
  readonly controlPlane?: string;
}

const DETAILS = `
Exit codes:
  0   deleted (or not found, with --ignore-not-found)
  1   a resource to delete does not exist
  64  usage error
  65  an input could not be read or parsed; nothing was deleted
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle delete -f reviews.yaml
  heddle delete virtualservice reviews -n shop
  heddle delete dr reviews ratings --ignore-not-found`;

export function buildDeleteCommand(context: CommandContext): Command {
  return new Command('delete')
    .summary('delete resources from the control plane')
    .description(
      'Deletes the resources some files define, or resources by type and name, like kubectl delete.',
    )
    .argument('[type]', 'resource type, e.g. virtualservices, vs (when deleting by name)')
    .argument('[names...]', 'names of the resources to delete')
    .option(
      '-f, --filename <path>',
      'file or directory whose resources to delete, or "-" for standard input; repeatable',
      appendValue,
    )
    .addOption(
      namespaceOption('namespace of the resources, or for documents that name none (default: "default")'),
    )
    .option('--ignore-not-found', 'treat resources that do not exist as deleted (exit 0)')
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (typeArgument: string | undefined, names: readonly string[], options: DeleteOptions) => {
      const client = controlPlaneClient(options, context.io);
      const ignoreNotFound = options.ignoreNotFound === true;
      if (options.filename) {
        if (typeArgument !== undefined) {
          throw new UsageError('give either -f files or a type and names, not both', deleteHint);
        }
        const request = {
          paths: options.filename,
          ignoreNotFound,
          ...(options.namespace ? { namespace: options.namespace } : {}),
        };
        context.setExitCode(await deleteFiles(request, client, context.io));
        return;
      }
      if (typeArgument === undefined || names.length === 0) {
        throw new UsageError('nothing to delete: give -f files, or a type and names', deleteHint);
      }
      const [type, ...others] = parseResourceTypes(typeArgument, 'delete');
      if (type === undefined || others.length > 0) {
        throw new UsageError('delete by name takes a single resource type', deleteHint);
      }
      const request = { type, names, namespace: options.namespace ?? 'default', ignoreNotFound };
      context.setExitCode(await deleteNames(request, client, context.io));
    });
}

const deleteHint = "Example: 'heddle delete -f reviews.yaml' or 'heddle delete vs reviews -n shop'.";
