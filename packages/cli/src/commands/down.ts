// `heddle down`: stops what `heddle up` (foreground or --detach) runs for a data directory.
import { Command, Option } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { UsageError } from '../usage-error.ts';
import { runDown } from '../up/run-down.ts';

interface DownOptions {
  readonly dataDir?: string;
  readonly timeout: number;
}

const DETAILS = `
Sends SIGTERM to the \`heddle up\` process named in <data-dir>/heddle.pid, which stops the gateway and then the
control plane, and waits for it to end. The config store stays for the next \`heddle up\`.

Exit codes:
  0   stopped, or nothing was running
  69  it did not stop within --timeout and was killed, or it belongs to another user

Examples:
  heddle down
  heddle down --data-dir ./.heddle`;

export function buildDownCommand(context: CommandContext): Command {
  return new Command('down')
    .summary('stop what `heddle up` runs')
    .description('Stops the control plane and gateway that `heddle up` runs for a data directory.')
    .option(
      '--data-dir <dir>',
      'the data directory given to heddle up (default: $HEDDLE_HOME, else ~/.heddle)',
    )
    .addOption(
      new Option('--timeout <seconds>', 'how long to wait before killing it')
        .default(60)
        .argParser((value: string) => {
          const seconds = Number(value);
          if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0)
            throw new UsageError(
              `invalid value '${value}' for --timeout`,
              'Give a number of seconds, e.g. 60.',
            );
          return seconds;
        }),
    )
    .addHelpText('after', DETAILS)
    .action(async (options: DownOptions) => {
      const request = {
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        timeoutMs: options.timeout * 1000,
        cwd: process.cwd(),
      };
      context.setExitCode(await runDown(request, context.io));
    });
}
