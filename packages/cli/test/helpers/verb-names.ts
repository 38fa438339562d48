// Test helper: the verbs `heddle` offers, read from the commander program itself.
import type { CliIo } from '../../src/cli-io.ts';
import { buildProgram } from '../../src/program/build-program.ts';

export function verbNames(): string[] {
  const discard = { write: () => true };
  const io: CliIo = { stdout: discard, stderr: discard, stdin: (async function* () {})(), env: {} };
  return buildProgram({ io, setExitCode: () => undefined }).commands.map((command) => command.name());
}
