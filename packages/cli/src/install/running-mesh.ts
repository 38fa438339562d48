// The `heddle up` of a data directory as the install verbs see it: whether it runs, where, and a way to make
// it apply the install files again (SIGHUP) and wait until it has.
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { dataPaths } from '../up/data-home.ts';
import { runningPid } from '../up/pid-file.ts';
import { readUpState, type UpState } from '../up/up-state.ts';
import { readRunningInstall, type RunningInstall } from './install-state.ts';

export async function findRunningMesh(dataDir: string): Promise<UpState | undefined> {
  const paths = dataPaths(dataDir);
  if ((await runningPid(paths.pidFile)) === undefined) return undefined;
  const state = await readUpState(paths.stateFile);
  return state?.status === 'ready' ? state : undefined;
}

export async function requireRunningMesh(dataDir: string): Promise<UpState> {
  const state = await findRunningMesh(dataDir);
  if (!state)
    throw new CliError(
      `Heddle is not running for ${dataDir} (start it with \`heddle up\` or \`heddle install\`)`,
      EXIT_CODES.UNAVAILABLE,
    );
  return state;
}

/** Asks heddle up to apply the install files, then waits until running.json says `done`. */
export async function reconcileAndWait(
  dataDir: string,
  state: UpState,
  done: (running: RunningInstall) => boolean,
  timeoutMs: number,
): Promise<RunningInstall> {
  process.kill(state.pid, 'SIGHUP');
  return waitForRunning(dataDir, done, timeoutMs);
}

export async function waitForRunning(
  dataDir: string,
  done: (running: RunningInstall) => boolean,
  timeoutMs: number,
): Promise<RunningInstall> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = await readRunningInstall(dataDir);
    if (running && done(running)) return running;
    if (Date.now() > deadline)
      throw new CliError(
        `heddle up did not apply the installation within ${timeoutMs / 1000} s; see ${dataPaths(dataDir).logs}`,
        EXIT_CODES.UNAVAILABLE,
      );
    await sleep(100);
  }
}
