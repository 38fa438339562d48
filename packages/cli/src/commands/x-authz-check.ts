// `heddle x authz check <proxy>`: the AuthorizationPolicies and JWT issuers in force on one proxy, read from
// the config the control plane last sent it (as istioctl's `x authz check`).
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { effectivePolicies } from '../authz-check/effective-policies.ts';
import { renderAuthzCheck } from '../authz-check/render-authz-check.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';

interface AuthzCheckOptions {
  readonly output: 'table' | 'json';
  readonly controlPlane?: string;
}

const DETAILS = `
The proxy is named as proxy-status prints it (workload.namespace) or by its xDS node id. Policies are
named name.namespace; dry-run policies are marked and enforce nothing; AUDIT only marks requests for logging.
A CUSTOM policy whose provider cannot be used denies the requests it matches.

Exit codes:
  0   printed
  1   no such proxy is connected
  64  usage error
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle x authz check orders.shop
  heddle x authz check orders.shop -o json`;

export function buildAuthzCheckCommand(context: CommandContext): Command {
  return new Command('check')
    .summary('show the authorization policies in force on a proxy')
    .description('Shows the AuthorizationPolicies and JWT issuers the control plane last sent to one proxy.')
    .argument('<proxy>', 'the proxy: workload.namespace, as proxy-status prints it, or its xDS node id')
    .addOption(
      choiceOption('-o, --output <format>', 'output format', ['table', 'json'] as const, {
        default: 'table',
      }),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (proxy: string, options: AuthzCheckOptions) => {
      const client = controlPlaneClient(options, context.io);
      const dump = await client.configDump(proxy);
      if (!dump) {
        throw new CliError(
          `no proxy "${proxy}" is connected to the control plane at ${client.url} (see 'heddle proxy-status')`,
          EXIT_CODES.NOT_FOUND,
        );
      }
      context.io.stdout.write(renderAuthzCheck(effectivePolicies(dump), proxy, options.output));
      context.setExitCode(EXIT_CODES.OK);
    });
}

/** `heddle x authz`: authorization as a proxy enforces it; holds `check`. */
export function buildXAuthzCommand(context: CommandContext): Command {
  return new Command('authz')
    .summary('inspect authorization on a proxy')
    .description('Authorization (AuthorizationPolicy, RequestAuthentication) as a proxy enforces it.')
    .addCommand(buildAuthzCheckCommand(context));
}
