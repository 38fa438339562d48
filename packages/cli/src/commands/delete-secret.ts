// `heddle delete secret NAME...`: removes TLS secrets from the local secret store; gateways that name one stop
// serving that server (the others keep serving).
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { resolveControlPlaneUrl } from '../client/control-plane-url.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import { withParentOptions } from '../secrets/parent-options.ts';
import { SECRET_NAMESPACE } from '../secrets/secret-namespace.ts';
import { deleteSecret } from '../secrets/secrets-api.ts';

interface DeleteSecretOptions {
  readonly namespace?: string;
  readonly ignoreNotFound?: boolean;
  readonly controlPlane?: string;
}

const DETAILS = `
Exit codes:
  0   deleted (or not found, with --ignore-not-found)
  1   a secret to delete does not exist
  64  usage error
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle delete secret shop-example-cert
  heddle delete secret partner-cert partner-cert-cacert -n edge --ignore-not-found`;

export function buildDeleteSecretCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('secret')
    .alias('secrets')
    .summary('delete TLS secrets from the local secret store')
    .description('Deletes TLS secrets by name; a Gateway server that names one is no longer served.')
    .argument('<names...>', 'names of the secrets to delete')
    .addOption(namespaceOption(`namespace of the secrets (default: "${SECRET_NAMESPACE}")`))
    .option('--ignore-not-found', 'treat secrets that do not exist as deleted (exit 0)')
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (names: readonly string[], _options: unknown, command: Command) => {
      const options = withParentOptions<DeleteSecretOptions>(command);
      const url = resolveControlPlaneUrl(options.controlPlane, io.env);
      const namespace = options.namespace ?? SECRET_NAMESPACE;
      const missing: string[] = [];
      for (const name of names) {
        if (await deleteSecret(url, namespace, name)) io.stdout.write(`secret "${name}" deleted\n`);
        else missing.push(name);
      }
      if (missing.length > 0 && options.ignoreNotFound !== true) {
        throw new CliError(
          `secret${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} not found in namespace ${namespace}`,
          EXIT_CODES.NOT_FOUND,
        );
      }
    });
}
