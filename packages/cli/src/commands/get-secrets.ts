// `heddle get secrets [NAME...]`: the TLS secrets of the local secret store, never their private keys.
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { CliError } from '../cli-error.ts';
import { resolveControlPlaneUrl } from '../client/control-plane-url.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { GET_OUTPUTS, type GetOutput } from '../get/get-output.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import { withParentOptions } from '../secrets/parent-options.ts';
import { SECRET_NAMESPACE } from '../secrets/secret-namespace.ts';
import { kubernetesType, secretTable } from '../secrets/secret-table.ts';
import { getSecret, listSecrets, type SecretSummary } from '../secrets/secrets-api.ts';
import { UsageError } from '../usage-error.ts';

interface GetSecretsOptions {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly output: GetOutput;
  readonly controlPlane?: string;
}

const DETAILS = `
Exit codes:
  0   printed (an empty listing says "No resources found" on stderr)
  1   a named secret does not exist
  64  usage error
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer

Examples:
  heddle get secrets
  heddle get secret shop-example-cert -o yaml
  heddle get secrets -A`;

export function buildGetSecretsCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('secrets')
    .alias('secret')
    .summary('show the TLS secrets of the local secret store')
    .description('Shows the TLS secrets that Gateway credentialName can name: hosts, expiry, never the key.')
    .argument('[names...]', 'names of secrets to show; all when none')
    .addOption(namespaceOption(`namespace to look in (default: "${SECRET_NAMESPACE}")`))
    .addOption(new Option('-A, --all-namespaces', 'look in every namespace').conflicts('namespace'))
    .addOption(
      choiceOption('-o, --output <format>', 'output format', GET_OUTPUTS, {
        default: 'table',
        aliases: { wide: 'table' },
      }),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (names: readonly string[], _options: unknown, command: Command) => {
      const options = withParentOptions<GetSecretsOptions>(command);
      if (names.length > 0 && options.allNamespaces) {
        throw new UsageError(
          'a secret cannot be read by name across all namespaces',
          "Name the namespace instead: 'heddle get secret shop-cert -n istio-system'.",
        );
      }
      const url = resolveControlPlaneUrl(options.controlPlane, io.env);
      const namespace = options.allNamespaces ? undefined : (options.namespace ?? SECRET_NAMESPACE);
      const secrets: SecretSummary[] = [];
      if (names.length === 0) secrets.push(...(await listSecrets(url, namespace)));
      for (const name of names) {
        const secret = await getSecret(url, namespace ?? SECRET_NAMESPACE, name);
        if (!secret) {
          throw new CliError(
            `secret "${name}" not found in namespace ${namespace ?? SECRET_NAMESPACE}`,
            EXIT_CODES.NOT_FOUND,
          );
        }
        secrets.push(secret);
      }
      if (secrets.length === 0 && options.output === 'table') {
        io.stderr.write(`No resources found${namespace ? ` in ${namespace} namespace` : ''}.\n`);
        return;
      }
      io.stdout.write(render(secrets, options.output, options.allNamespaces === true));
    });
}

function render(secrets: readonly SecretSummary[], output: GetOutput, allNamespaces: boolean): string {
  switch (output) {
    case 'table':
      return secretTable(secrets, allNamespaces, new Date());
    case 'name':
      return secrets.map((secret) => `secret/${secret.name}\n`).join('');
    case 'json':
      return `${JSON.stringify(asList(secrets), null, 2)}\n`;
    case 'yaml':
      return stringify(asList(secrets));
  }
}

/** kubectl's List shape, with the certificate details where kubectl would show `data` (no key material). */
function asList(secrets: readonly SecretSummary[]) {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: secrets.map((secret) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secret.name, namespace: secret.namespace, creationTimestamp: secret.createdAt },
      type: kubernetesType(secret),
      keys: secret.keys,
      ...(secret.certificate ? { certificate: secret.certificate } : {}),
      ...(secret.caCertificates ? { caCertificates: secret.caCertificates } : {}),
    })),
  };
}
