// An error that ends a command with one line on stderr and a chosen exit code (not a usage error, not a bug).
import type { ExitCode } from './exit-codes.ts';

export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
