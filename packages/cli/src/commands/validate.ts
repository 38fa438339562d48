// `heddle validate`: checks Istio config files offline against the schema and the semantic rules.
import { Command } from 'commander';
import type { Level } from '@heddle/api';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/validation-report.ts';
import { appendValue } from '../program/append-value.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { runValidation } from '../run-validation.ts';
import { UsageError } from '../usage-error.ts';

const LEVELS: readonly Level[] = ['Info', 'Warning', 'Error'];

/** The option values, as the parsers declared below leave them. */
interface ValidateOptions {
  readonly filename?: readonly string[];
  readonly output: OutputFormat;
  readonly failureThreshold: Level;
}

const DETAILS = `
Exit codes:
  0   nothing at or above the failure threshold
  64  usage error (unknown option, bad option value, no input)
  65  an input could not be read or parsed (takes precedence over 79)
  79  findings at or above the failure threshold

Examples:
  heddle validate examples/
  heddle validate -f gateway.yaml -f routes.yaml --failure-threshold Warning
  kubectl get virtualservices -A -o yaml | heddle validate -f - -o json`;

export function buildValidateCommand(context: CommandContext): Command {
  return new Command('validate')
    .summary('check Istio configuration files offline')
    .description(
      'Checks Istio configuration files offline: YAML syntax, the schema of each kind and the semantic rules.',
    )
    .argument('[paths...]', 'files or directories to validate, or "-" for standard input')
    .option(
      '-f, --filename <path>',
      'file or directory (searched recursively for .yaml, .yml, .json) or "-" for standard input; repeatable',
      appendValue,
    )
    .addOption(
      choiceOption(
        '-o, --output <format>',
        'output format ("log" is accepted as in istioctl)',
        OUTPUT_FORMATS,
        { default: 'text', aliases: { log: 'text' } },
      ),
    )
    .addOption(
      choiceOption('--failure-threshold <level>', 'lowest level that makes the exit code 79', LEVELS, {
        default: 'Error',
      }),
    )
    .addHelpText('after', DETAILS)
    .action(async (operands: readonly string[], options: ValidateOptions) => {
      const paths = [...(options.filename ?? []), ...operands];
      if (paths.length === 0) {
        throw new UsageError(
          'no input: name files or directories to validate, or "-" for standard input',
          "Example: 'heddle validate -f my-config.yaml' or 'heddle validate examples/'.",
        );
      }
      const { output, failureThreshold } = options;
      context.setExitCode(await runValidation({ paths, output, failureThreshold }, context.io));
    });
}
