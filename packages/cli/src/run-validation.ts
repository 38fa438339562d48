// One validation run: reads the paths, validates what was read, prints the report, decides the exit code.
import type { Level } from '@heddle/api';
import type { CliIo } from './cli-io.ts';
import type { ExitCode } from './exit-codes.ts';
import { readConfigInput } from './input/read-config-input.ts';
import { renderReport, wantsColor } from './output/render-report.ts';
import type { OutputFormat } from './output/validation-report.ts';
import { validationExitCode } from './validation-exit-code.ts';

export interface ValidationRequest {
  /** Files, directories, or `-` for standard input. */
  readonly paths: readonly string[];
  readonly output: OutputFormat;
  readonly failureThreshold: Level;
}

export async function runValidation(request: ValidationRequest, io: CliIo): Promise<ExitCode> {
  const { findings, fileCount, resourceCount, inputFailed } = await readConfigInput(request.paths, io.stdin);
  const report = { findings, fileCount, resourceCount };
  io.stdout.write(renderReport(report, request.output, wantsColor(io.stdout.isTTY, io.env)));
  return validationExitCode({ findings, inputFailed, failureThreshold: request.failureThreshold });
}
