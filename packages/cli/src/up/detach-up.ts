// `heddle up --detach`: checks what it can at once (data dir, already running, ports), then starts the same
// supervisor as a background process with its output in `<dataDir>/logs/heddle.log`, waits until the state
// file says ready, prints the summary and returns. `heddle down` stops it by the pid in `heddle.pid`.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { prepareDataDir } from '../control/prepare-data-dir.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { ENTRY_POINTS } from '../supervisor/entry-points.ts';
import { appendLogNote, logFilePath, openLogFile } from '../supervisor/log-file.ts';
import { chooseUpPorts } from './choose-ports.ts';
import { dataPaths, resolveDataHome } from './data-home.ts';
import { alreadyRunning, runningPid } from './pid-file.ts';
import { backgroundError, chosenPorts, retryWhenChosenPortTaken } from './chosen-port-retry.ts';
import type { UpRequest } from './up-request.ts';
import { readUpState } from './up-state.ts';
import { upSummary } from './up-summary.ts';

export async function runDetachedUp(request: UpRequest, io: CliIo): Promise<ExitCode> {
  const dataDir = await prepareDataDir(resolveDataHome(request.dataDir, io.env, request.cwd), request.cwd);
  const holder = await runningPid(dataPaths(dataDir).pidFile);
  if (holder !== undefined) throw alreadyRunning(holder, dataDir);
  return retryWhenChosenPortTaken(
    () => startInBackground(request, io, dataDir),
    (error) => appendLogNote(logFilePath(dataDir, 'heddle'), `${error.message}; choosing other ports`),
  );
}

async function startInBackground(request: UpRequest, io: CliIo, dataDir: string): Promise<ExitCode> {
  const paths = dataPaths(dataDir);
  // Ports are chosen here so a taken port is reported at once; the background process checks them again.
  const ports = await chooseUpPorts(request);
  const chosen = chosenPorts(request, ports);
  const log = logFilePath(dataDir, 'heddle');
  appendLogNote(log, 'starting heddle up in the background');
  const logFd = openLogFile(log);
  // Only what this start writes is read back for an error message, not earlier runs.
  const logStart = fstatSync(logFd).size;
  const env = { ...io.env };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(
    process.execPath,
    [
      ENTRY_POINTS.heddle,
      'up',
      '--data-dir',
      dataDir,
      '--http-port',
      String(ports.http),
      '--xds-port',
      String(ports.xds),
      '--gateway-port',
      String(ports.gateway),
      '--gateway-admin-port',
      String(ports.gatewayAdmin),
      '--gateway-health-port',
      String(ports.gatewayHealth),
      '--log-level',
      request.logLevel,
      '--timeout',
      String(request.timeoutMs / 1000),
      '--background',
    ],
    { cwd: request.cwd, env, stdio: ['ignore', logFd, logFd], detached: true },
  );
  closeSync(logFd);
  let exited: number | undefined;
  child.once('exit', (code, signal) => (exited = code ?? (signal ? 128 : 1)));
  child.unref();
  const pid = child.pid;
  // Every component waits up to the timeout in turn; the margin covers process start-up.
  const deadline = Date.now() + request.timeoutMs * 2 + 10_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw await backgroundFailure(log, logStart, exited, chosen);
    const state = await readUpState(paths.stateFile);
    if (state?.status === 'ready' && state.pid === pid) {
      io.stdout.write(upSummary(state, request.output, true));
      return EXIT_CODES.OK;
    }
    await sleep(100);
  }
  if (pid !== undefined) process.kill(pid, 'SIGTERM');
  throw new CliError(`Heddle did not become ready in the background; see ${log}`, EXIT_CODES.UNAVAILABLE);
}

/** The background process's own one-line error (`heddle: …`) from its log, with its exit code. */
async function backgroundFailure(
  log: string,
  from: number,
  code: number,
  chosen: ReadonlySet<number>,
): Promise<CliError> {
  const text = (await readFile(log).catch(() => Buffer.alloc(0))).subarray(from).toString('utf8');
  const lines = text.trimEnd().split('\n');
  const last = lines.findLast((line) => line.startsWith('heddle: ') && !line.startsWith('heddle: stopping'));
  const message = last?.slice('heddle: '.length) ?? `the background process ended early; see ${log}`;
  const exitCode = Object.values(EXIT_CODES).find((known) => known === code) ?? EXIT_CODES.UNAVAILABLE;
  return backgroundError(message, exitCode, chosen);
}
