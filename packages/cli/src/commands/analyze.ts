// `heddle analyze`: istioctl analyze — validation and cross-resource analyzers over files or the live
// control plane, printed with Istio's IST codes where Heddle checks the same thing.
import { Command, Option } from 'commander';
import type { Level } from '@heddle/api';
import { appendValue } from '../program/append-value.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { controlPlaneClient, controlPlaneOption } from '../program/control-plane-option.ts';
import { namespaceOption } from '../program/namespace-option.ts';

const LEVELS: readonly Level[] = ['Info', 'Warning', 'Error'];

interface AnalyzeOptions {
  readonly filename?: readonly string[];
  readonly live?: boolean;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly output: 'text' | 'json' | 'yaml';
  readonly failureThreshold: Level;
  readonly outputThreshold: Level;
  readonly controlPlane?: string;
}

const DETAILS = `
Without files, the config stored in the control plane is analyzed, with its registry (services and
workloads). With files, only the files are analyzed, unless --live adds the control plane's config.
Each finding reads: Level [CODE] (Kind namespace/name file:line) message. Istio's codes are used where
Heddle checks the same thing: IST0101 (a host, subset or gateway a rule names does not exist), IST0109
(several mesh VirtualServices for one host), IST0127 (a selector selecting no workload; live only),
IST0130/IST0131 (unreachable rules, ineffective matches), IST0134, IST0151-IST0155; every other finding
keeps its HEDDLE_* code from 'heddle validate'.

Exit codes:
  0   nothing at or above the failure threshold
  64  usage error
  65  a file could not be read or parsed
  69  the control plane cannot be reached
  79  findings at or above the failure threshold

Examples:
  heddle analyze -A
  heddle analyze -n shop
  heddle analyze routes.yaml destination-rules.yaml
  heddle analyze -f new-canary.yaml --live --failure-threshold Warning`;

export function buildAnalyzeCommand(context: CommandContext): Command {
  return new Command('analyze')
    .summary('analyze Istio configuration for problems')
    .description(
      'Analyzes Istio configuration, live in the control plane or in files, for problems within and across resources.',
    )
    .argument('[paths...]', 'files or directories to analyze, or "-" for standard input')
    .option('-f, --filename <path>', 'a file or directory to analyze; repeatable', appendValue)
    .addOption(new Option('--live', "with files: add the control plane's config and registry"))
    .addOption(namespaceOption('show findings about this namespace only (default: "default" when live)'))
    .addOption(
      new Option('-A, --all-namespaces', 'show findings about every namespace').conflicts('namespace'),
    )
    .addOption(
      choiceOption(
        '-o, --output <format>',
        'output format ("log" is accepted as in istioctl)',
        ['text', 'json', 'yaml'] as const,
        {
          default: 'text',
          aliases: { log: 'text' },
        },
      ),
    )
    .addOption(
      choiceOption('--failure-threshold <level>', 'lowest level that makes the exit code 79', LEVELS, {
        default: 'Error',
      }),
    )
    .addOption(
      choiceOption('--output-threshold <level>', 'lowest level printed', LEVELS, { default: 'Info' }),
    )
    .addOption(controlPlaneOption())
    .addHelpText('after', DETAILS)
    .action(async (operands: readonly string[], options: AnalyzeOptions) => {
      const { runAnalyze } = await import('../analyze/run-analyze.ts');
      const paths = [...(options.filename ?? []), ...operands];
      const live = paths.length === 0 || options.live === true;
      const namespace = options.allNamespaces
        ? undefined
        : (options.namespace ?? (paths.length === 0 ? 'default' : undefined));
      const request = {
        paths,
        ...(live ? { live: controlPlaneClient(options, context.io) } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
        output: options.output,
        failureThreshold: options.failureThreshold,
        outputThreshold: options.outputThreshold,
      };
      context.setExitCode(await runAnalyze(request, context.io));
    });
}
