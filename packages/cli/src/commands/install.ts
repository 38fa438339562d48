// `heddle install`: installs the mesh an IstioOperator describes on this machine (istioctl install).
import { Command } from 'commander';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import {
  addDataDirOption,
  addOperatorOptions,
  addUpOptions,
  upRequestOf,
  type UpOptionValues,
} from '../install/install-options.ts';
import { runInstall } from '../install/run-install.ts';

interface InstallOptions extends UpOptionValues {
  readonly filename?: readonly string[];
  readonly set?: readonly string[];
  readonly revision?: string;
  readonly verify?: boolean;
  readonly output: 'text' | 'json';
}

const DETAILS = `
The IstioOperator decides, on this machine: the gateways (components.ingressGateways and egressGateways:
names, enabled, labels), the meshConfig (written as ConfigMap istio-system/istio, or istio-<rev> for a
revision), and the proxies' resource hints (values.global.proxy.resources.limits.memory sizes each proxy's
heap; defaultConfig.concurrency its workers). Settings that only shape Kubernetes objects (resources, HPA,
PDB, affinity, service, replicaCount beyond one, most values) are accepted and listed once under "Applies on
Kubernetes"; \`heddle manifest generate\` renders them as manifests. A broken IstioOperator is answered with
its errors (file:line field) and exit code 79; nothing is written or started.

Heddle is started (as \`heddle up --detach\` with the port options below) when it is not running; a running
Heddle applies the installation at once. --revision R runs a second control plane side by side, with its own
ports and meshConfig, for a canary upgrade: start workloads on it with \`heddle run --revision R\` (or the
label istio.io/rev=R) and move the others with \`heddle upgrade --revision R\`.

Exit codes:
  0   installed (and verified, with --verify)
  64  usage error
  69  Heddle could not be started or did not apply the installation
  79  the IstioOperator has errors, or --verify found a mismatch

Examples:
  heddle install -f production-profile.yaml --verify
  heddle install --set profile=demo --set meshConfig.accessLogFile=/dev/stdout -y
  heddle install -f istio-1-13.yaml --revision 1-13`;

export function buildInstallCommand(context: CommandContext): Command {
  const command = new Command('install')
    .summary('install the mesh an IstioOperator describes')
    .description(
      'Applies an IstioOperator to this machine: control plane, gateways, meshConfig and proxy settings.',
    );
  addOperatorOptions(command);
  addDataDirOption(command);
  addUpOptions(command);
  return command
    .option('--verify', 'run verify-install once installed')
    .option('-y, --skip-confirmation', 'accepted for istioctl compatibility; install never asks')
    .addOption(
      choiceOption('-o, --output <format>', 'how the report is printed', ['text', 'json'] as const, {
        default: 'text',
      }),
    )
    .addHelpText('after', DETAILS)
    .action(async (options: InstallOptions) => {
      const code = await runInstall(
        {
          files: options.filename ?? [],
          sets: options.set ?? [],
          ...(options.revision !== undefined ? { revision: options.revision } : {}),
          verify: options.verify === true,
          output: options.output,
          up: upRequestOf(options),
        },
        context.io,
      );
      context.setExitCode(code);
    });
}
