// `heddle manifest generate`: the Kubernetes manifests an IstioOperator describes (istioctl manifest generate).
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import packageJson from '../../package.json' with { type: 'json' };
import type { CommandContext } from '../program/command-context.ts';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { findingLines } from '../output/finding-lines.ts';
import { wantsColor } from '../output/render-report.ts';
import { addOperatorOptions } from '../install/install-options.ts';
import { planInstall } from '../install/install-plan.ts';
import { normalizeRevision } from '../install/install-state.ts';
import { kubernetesManifests } from '../install/kubernetes-manifests.ts';
import { readOperator } from '../install/read-operator.ts';
import { parseSetOverride } from '../install/set-overrides.ts';

interface GenerateOptions {
  readonly filename?: readonly string[];
  readonly set?: readonly string[];
  readonly revision?: string;
  readonly image: string;
}

const DETAILS = `
Prints YAML documents for Kubernetes: the meshConfig ConfigMap, and for the control plane and each enabled
gateway a ServiceAccount, Deployment and Service, plus a HorizontalPodAutoscaler (hpaSpec) and a
PodDisruptionBudget (podDisruptionBudget) where the IstioOperator sets them. Resources, affinity,
nodeSelector and tolerations go into the Deployments as written. Nothing is installed.

Exit codes:
  0   printed
  64  usage error
  79  the IstioOperator has errors (nothing is printed)

Examples:
  heddle manifest generate -f production-profile.yaml > heddle-k8s.yaml
  heddle manifest generate --set profile=demo --revision 1-13`;

export function buildManifestCommand(context: CommandContext): Command {
  const generate = new Command('generate')
    .summary('print Kubernetes manifests for an IstioOperator')
    .description(
      'Prints the Kubernetes manifests an IstioOperator describes, for a later install on Kubernetes.',
    );
  addOperatorOptions(generate);
  generate
    .addOption(
      new Option('--image <image>', 'the image the Deployments run').default(
        `ghcr.io/heddle-mesh/heddle:${packageJson.version}`,
      ),
    )
    .addHelpText('after', DETAILS)
    .action(async (options: GenerateOptions) => {
      const input = await readOperator(
        options.filename ?? [],
        (options.set ?? []).map(parseSetOverride),
        context.io.stdin,
      );
      if (input.failed) {
        const errors = input.findings.filter((finding) => finding.level === 'Error');
        context.io.stderr.write(findingLines(errors, wantsColor(context.io.stderr.isTTY, context.io.env)));
        throw new CliError(
          `the IstioOperator is not valid (${errors.length} error${errors.length === 1 ? '' : 's'})`,
          EXIT_CODES.FINDINGS,
        );
      }
      const revision = options.revision !== undefined ? normalizeRevision(options.revision) : undefined;
      const plan = planInstall(input.spec, input.name, revision);
      const documents = kubernetesManifests(plan, { image: options.image }).map((manifest) =>
        stringify(manifest),
      );
      context.io.stdout.write(documents.map((text) => `---\n${text}`).join(''));
      context.setExitCode(EXIT_CODES.OK);
    });
  return new Command('manifest')
    .summary('render Kubernetes manifests for an IstioOperator')
    .description('Commands for the manifests an installation consists of: generate.')
    .addCommand(generate);
}
