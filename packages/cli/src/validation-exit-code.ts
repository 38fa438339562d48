// Decides how a validation run ends: unreadable input beats findings, findings beat a clean run.
import { atOrAbove, type Finding, type Level } from '@heddle/api';
import { EXIT_CODES, type ExitCode } from './exit-codes.ts';

export interface ValidationOutcome {
  readonly findings: readonly Finding[];
  /** True when a path could not be read, was refused, or a file could not be parsed as YAML. */
  readonly inputFailed: boolean;
  readonly failureThreshold: Level;
}

export function validationExitCode(outcome: ValidationOutcome): ExitCode {
  if (outcome.inputFailed) return EXIT_CODES.UNREADABLE_INPUT;
  const failing = outcome.findings.some((f) => atOrAbove(f.level, outcome.failureThreshold));
  return failing ? EXIT_CODES.FINDINGS : EXIT_CODES.OK;
}
