// Runs `heddle <args>`: parses them with the commander program and maps every outcome to an exit code.
import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.ts';
import { CliError } from './cli-error.ts';
import { EXIT_CODES, type ExitCode } from './exit-codes.ts';
import { buildProgram } from './program/build-program.ts';
import { UsageError } from './usage-error.ts';

/** Runs `heddle <args>` and resolves to the exit code; never throws. */
export async function main(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode: ExitCode = EXIT_CODES.OK;
  const program = buildProgram({ io, setExitCode: (code) => (exitCode = code) });
  try {
    // commander answers a bare `heddle` with its whole help on stderr; one line and a hint say it better.
    if (args.length === 0) throw new UsageError('missing command');
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    // Help or the version was printed (exit code 0), or help was printed because no command was given.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    if (error instanceof UsageError) {
      io.stderr.write(`heddle: ${error.message}\n${error.hint}\n`);
      return EXIT_CODES.USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`heddle: ${error.message}\n`);
      return error.exitCode;
    }
    return reportInternalError(error, io);
  }
}

export function reportInternalError(error: unknown, io: CliIo): number {
  const detail = error instanceof Error ? error.message : String(error);
  io.stderr.write(`heddle: internal error: ${detail} (please report)\n`);
  if (io.env.HEDDLE_DEBUG === '1' && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return EXIT_CODES.INTERNAL;
}
