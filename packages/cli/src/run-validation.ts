// One validation run: reads the paths, validates what was read, prints the report, decides the exit code.
import { compareFindings, validateText, type Level } from '@heddle/api';
import type { CliIo } from './cli-io.ts';
import type { ExitCode } from './exit-codes.ts';
import { readSources } from './input/read-sources.ts';
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
  const input = await readSources(request.paths, io.stdin);
  const validation = validateText(input.sources);
  const findings = [...input.findings, ...validation.findings].sort(compareFindings);
  const report = { findings, fileCount: input.fileCount, resourceCount: validation.resources.length };
  io.stdout.write(renderReport(report, request.output, wantsColor(io.stdout.isTTY, io.env)));
  return validationExitCode({
    findings,
    inputFailed: input.failed || validation.unparseable.length > 0,
    failureThreshold: request.failureThreshold,
  });
}
