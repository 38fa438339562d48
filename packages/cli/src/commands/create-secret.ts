// `heddle create secret tls|generic`: stores a TLS credential in the control plane's local secret store, where a
// Gateway's `credentialName` finds it, like `kubectl create secret tls` does for Istio on Kubernetes.
import { Command } from 'commander';
import type { CliIo } from '../cli-io.ts';
import { resolveControlPlaneUrl } from '../client/control-plane-url.ts';
import { appendValue } from '../program/append-value.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';
import {
  parseFromFiles,
  readSecretFiles,
  SECRET_KEYS,
  type SecretFiles,
} from '../secrets/read-secret-files.ts';
import { createSecret } from '../secrets/secrets-api.ts';
import { SECRET_NAMESPACE } from '../secrets/secret-namespace.ts';
import { UsageError } from '../usage-error.ts';

interface CreateOptions {
  readonly namespace?: string;
  readonly fromFile?: readonly string[];
  readonly overwrite?: boolean;
  readonly controlPlane?: string;
}

interface TlsOptions extends CreateOptions {
  readonly cert: string;
  readonly key: string;
  readonly cacert?: string;
}

const EXIT_CODES_HELP = `
The secret lives in namespace ${SECRET_NAMESPACE} unless -n says otherwise: a Gateway's credentialName is
looked up in the namespace of the gateway proxy that serves it (Istio's rule), and Heddle's gateways run in
${SECRET_NAMESPACE}. The control plane checks that the PEM parses, that the key belongs to the certificate and
that no certificate has expired, then pushes it to the gateways that name it; --overwrite replaces a
certificate in place (a rotation: new handshakes get the new one, no restart).

Exit codes:
  0   stored
  1   a secret of that name exists (use --overwrite to replace it)
  64  usage error
  65  a file cannot be read, or the control plane refused its content (bad PEM, key mismatch, expired)
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer`;

export function buildCreateCommand(context: CommandContext): Command {
  const create = new Command('create')
    .summary('create a secret in the control plane')
    .description('Creates objects that are not Istio config, like kubectl create: TLS secrets for gateways.');
  const secret = new Command('secret')
    .summary('create a TLS secret for Gateway credentialName')
    .description(
      'Creates a secret in the local secret store, for a Gateway server whose tls.credentialName names it.',
    );
  secret.addCommand(buildTls(context.io));
  secret.addCommand(buildGeneric(context.io));
  create.addCommand(secret);
  return create;
}

function buildTls(io: CliIo): Command {
  return withCommonOptions(
    new Command('tls')
      .summary('create a secret from a certificate and its key')
      .description('Creates a TLS secret from a PEM certificate (chain) and its PEM private key.')
      .argument('<name>', "the secret's name, as a Gateway's credentialName gives it")
      .requiredOption('--cert <file>', 'PEM certificate chain, server certificate first (tls.crt)')
      .requiredOption('--key <file>', 'PEM private key of that certificate (tls.key)')
      .option('--cacert <file>', 'PEM CA certificates that verify client certificates, for MUTUAL (ca.crt)'),
  )
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}

Examples:
  heddle create secret tls shop-example-cert --cert shop.crt --key shop.key
  heddle create secret tls partner-cert --cert partner.crt --key partner.key --cacert clients-ca.crt
  heddle create secret tls shop-example-cert --cert new.crt --key new.key --overwrite`,
    )
    .action(async (name: string, options: TlsOptions) => {
      const extra = parseFromFiles(options.fromFile ?? []);
      if (extra.certificateChain !== undefined || extra.privateKey !== undefined) {
        throw new UsageError(
          '--from-file may only add ca.crt to a tls secret; give the certificate with --cert and the key with --key',
          "Run 'heddle create secret tls --help' for usage.",
        );
      }
      if (options.cacert !== undefined && extra.caCertificate !== undefined) {
        throw new UsageError('give the CA certificate once: --cacert or --from-file=ca.crt=…');
      }
      const cacert = options.cacert ?? extra.caCertificate;
      await store(io, name, options, {
        certificateChain: options.cert,
        privateKey: options.key,
        ...(cacert !== undefined ? { caCertificate: cacert } : {}),
      });
    });
}

function buildGeneric(io: CliIo): Command {
  return withCommonOptions(
    new Command('generic')
      .summary('create a secret from files given by key')
      .description(
        `Creates a secret from --from-file=<key>=<path> files, keys ${SECRET_KEYS.join(', ')}: e.g. a CA bundle alone, as Istio's <name>-cacert secret.`,
      )
      .argument('<name>', "the secret's name"),
  )
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}

Examples:
  heddle create secret generic partner-cert-cacert --from-file=ca.crt=clients-ca.crt
  heddle create secret generic shop-cert --from-file=tls.crt=shop.crt --from-file=tls.key=shop.key`,
    )
    .action(async (name: string, options: CreateOptions) => {
      const files = parseFromFiles(options.fromFile ?? []);
      if (Object.keys(files).length === 0) {
        throw new UsageError(
          'nothing to store: give --from-file=<key>=<path>',
          "Example: 'heddle create secret generic partner-cert-cacert --from-file=ca.crt=ca.pem'.",
        );
      }
      await store(io, name, options, files);
    });
}

function withCommonOptions(command: Command): Command {
  return command
    .addOption(namespaceOption(`namespace of the secret (default: "${SECRET_NAMESPACE}")`))
    .option(
      '--from-file <key=path>',
      `a file under a secret key (${SECRET_KEYS.join(', ')}); repeatable`,
      appendValue,
    )
    .option('--overwrite', 'replace a secret of the same name (rotate its certificate)')
    .addOption(controlPlaneOption());
}

async function store(io: CliIo, name: string, options: CreateOptions, files: SecretFiles): Promise<void> {
  const texts = await readSecretFiles(files);
  const namespace = options.namespace ?? SECRET_NAMESPACE;
  const url = resolveControlPlaneUrl(options.controlPlane, io.env);
  const result = await createSecret(url, { namespace, name, ...texts }, options.overwrite === true);
  const hosts = result.secret.certificate?.subjectAltNames.join(', ');
  io.stdout.write(
    `secret/${name} ${result.created ? 'created' : 'replaced'} in namespace ${namespace}${hosts ? ` (${hosts})` : ''}\n`,
  );
}
