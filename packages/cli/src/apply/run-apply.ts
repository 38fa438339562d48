// `heddle apply`: validates all sources locally (one invalid document: nothing sent), then sends each one.
import type { CliIo } from '../cli-io.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { isRefusal } from '../client/control-plane-client.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { readConfigInput } from '../input/read-config-input.ts';
import { findingLines } from '../output/finding-lines.ts';
import { renderText } from '../output/render-text.ts';
import { wantsColor } from '../output/render-report.ts';
import { validationExitCode } from '../validation-exit-code.ts';
import { appliedLines } from './result-lines.ts';

export interface ApplyRequest {
  /** Files, directories, or `-` for standard input. */
  readonly paths: readonly string[];
  /** For documents without metadata.namespace; the control plane's `default` when absent. */
  readonly namespace?: string;
}

export async function runApply(
  request: ApplyRequest,
  client: ControlPlaneClient,
  io: CliIo,
): Promise<ExitCode> {
  const input = await readConfigInput(request.paths, io.stdin);
  const color = wantsColor(io.stderr.isTTY, io.env);
  const { findings, inputFailed } = input;
  const refusal = validationExitCode({ findings, inputFailed, failureThreshold: 'Error' });
  if (refusal !== EXIT_CODES.OK) {
    io.stderr.write(renderText(input, { color }));
    io.stderr.write('heddle: nothing was applied\n');
    return refusal;
  }
  // Warnings (deprecated fields) and notes (kinds Heddle does not read) do not stop an apply; show them.
  io.stderr.write(findingLines(findings, color));

  const applied: string[] = [];
  for (const source of input.sources) {
    const result = await client.apply(source, request.namespace);
    if (isRefusal(result)) {
      io.stderr.write(findingLines(result.findings, color));
      const before = applied.length > 0 ? `; already applied: ${applied.join(', ')}` : '';
      io.stderr.write(`heddle: the control plane refused ${source.name}: ${result.message}${before}\n`);
      return EXIT_CODES.FINDINGS;
    }
    io.stdout.write(appliedLines([...result.applied, ...result.unchanged]));
    applied.push(source.name);
  }
  if (input.meshResourceCount === 0) {
    io.stderr.write('heddle: the input holds no mesh resources; nothing was applied\n');
  }
  return EXIT_CODES.OK;
}
