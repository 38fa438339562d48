#!/usr/bin/env node
// The `heddle` executable: runs the CLI with the real process streams and sets the exit code.
import { main, reportInternalError } from '../src/main.ts';
import type { CliIo } from '../src/cli-io.ts';

const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

// A reader that closes the pipe early (`heddle validate … | head`) is not an error worth a report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// Anything that escapes main still gets the short message and exit 70, never a bare stack trace.
const onEscapedError = (error: unknown): void => {
  process.exitCode = reportInternalError(error, io);
  process.exit();
};
process.on('uncaughtException', onEscapedError);
process.on('unhandledRejection', onEscapedError);

process.exitCode = await main(process.argv.slice(2), io);
