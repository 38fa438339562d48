// `heddle apply`: sends Istio config files to the control plane, like `kubectl apply -f`.
import { Command } from 'commander';
import { runApply } from '../apply/run-apply.ts';
import { appendValue } from '../program/append-value.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import { UsageError } from '../usage-error.ts';

interface ApplyOptions {
  readonly filename?: readonly string[];
  readonly namespace?: string;
  readonly controlPlane?: string;
}

const DETAILS = `
Every file is validated before the first is sent: one invalid document anywhere and nothing is applied.
Each file is then stored atomically by the control plane, which validates it again.

Exit codes:
  0   applied (or unchanged)
  64  usage error
  65  an input could not be read or parsed; nothing was applied
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer
  79  the config has errors; nothing was applied (the findings are printed on stderr)

Examples:
  heddle apply -f reviews.yaml
  heddle apply -f manifests/ -n shop
  kubectl get virtualservices -A -o yaml | heddle apply -f -`;

export function buildApplyCommand(context: CommandContext): Command {
  return new Command('apply')
    .summary('apply Istio configuration to the control plane')
    .description(
      'Validates Istio configuration files and stores them in the control plane, like kubectl apply.',
    )
    .argument('[paths...]', 'files or directories to apply, or "-" for standard input')
    .option(
      '-f, --filename <path>',
      'file or directory (searched recursively for .yaml, .yml, .json) or "-" for standard input; repeatable',
      appendValue,
    )
    .addOption(namespaceOption('namespace for documents that name none (default: "default")'))
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (operands: readonly string[], options: ApplyOptions) => {
      const paths = [...(options.filename ?? []), ...operands];
      if (paths.length === 0) {
        throw new UsageError(
          'no input: name files or directories to apply, or "-" for standard input',
          "Example: 'heddle apply -f reviews.yaml'.",
        );
      }
      const client = controlPlaneClient(options, context.io);
      const request = { paths, ...(options.namespace ? { namespace: options.namespace } : {}) };
      context.setExitCode(await runApply(request, client, context.io));
    });
}
