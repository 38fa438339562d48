// `heddle down`: stops the `heddle up` of a data directory by the pid in `heddle.pid` (SIGTERM: it stops its
// components in order), waits for it to end, and says how it went. Nothing running is not an error.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { dataPaths, resolveDataHome } from './data-home.ts';
import { isHeddleRunning, runningPid } from './pid-file.ts';
import { removeUpState } from './up-state.ts';

export interface DownRequest {
  readonly dataDir?: string;
  readonly timeoutMs: number;
  readonly cwd: string;
}

export async function runDown(request: DownRequest, io: CliIo): Promise<ExitCode> {
  const dataDir = resolveDataHome(request.dataDir, io.env, request.cwd);
  const paths = dataPaths(dataDir);
  const pid = await runningPid(paths.pidFile);
  if (pid === undefined) {
    io.stdout.write(`Heddle is not running (data directory ${dataDir}).\n`);
    return EXIT_CODES.OK;
  }
  const started = Date.now();
  io.stderr.write(`Stopping Heddle (pid ${pid})…\n`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM')
      throw new CliError(`not allowed to stop pid ${pid} (started by another user)`, EXIT_CODES.UNAVAILABLE);
  }
  const deadline = started + request.timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isHeddleRunning(pid))) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.stdout.write(`Heddle stopped (pid ${pid}, ${seconds} s).\n`);
      return EXIT_CODES.OK;
    }
    await sleep(100);
  }
  // Its children follow it: each watches a pipe to it and stops when it closes.
  process.kill(pid, 'SIGKILL');
  await removeUpState(paths.stateFile);
  io.stderr.write(
    `heddle: Heddle (pid ${pid}) did not stop within ${request.timeoutMs / 1000} s; killed it (SIGKILL)\n`,
  );
  return EXIT_CODES.UNAVAILABLE;
}
