// What every verb file in src/commands/ is given, and what it gives back: a commander command for its verb.
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.ts';
import type { ExitCode } from '../exit-codes.ts';

export interface CommandContext {
  /** The streams and environment the verb's action may touch. */
  readonly io: CliIo;
  /** Records how the action ended; main returns it as the exit code once parsing has finished. */
  readonly setExitCode: (code: ExitCode) => void;
}

/** Builds one verb's command: its arguments, options, help text and action. */
export type CommandBuilder = (context: CommandContext) => Command;
