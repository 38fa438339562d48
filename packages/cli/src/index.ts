// Public surface of @heddle/cli: the command's entry point, for embedding and for tests.
export { main } from './main.ts';
export { buildProgram } from './program/build-program.ts';
export type { CommandBuilder, CommandContext } from './program/command-context.ts';
export { EXIT_CODES, type ExitCode } from './exit-codes.ts';
export type { CliIo, OutputStream } from './cli-io.ts';
