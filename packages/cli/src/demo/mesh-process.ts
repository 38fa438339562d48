// Starts the demo's mesh process (`heddle demo --serve-plan <plan>`). Without --keep it is a supervised child
// tied to this process by the liveness pipe, so it stops with it whatever happens; with --keep it is a
// detached process of its own that outlives the demo, stopped later by `heddle down --data-dir`.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ChildExit } from '../supervisor/child-spec.ts';
import { ENTRY_POINTS } from '../supervisor/entry-points.ts';
import { appendLogNote, openLogFile } from '../supervisor/log-file.ts';
import { SupervisedChild } from '../supervisor/supervised-child.ts';

/** The mesh stops its workloads, the gateway (5 s drain) and the control plane in turn. */
const STOP_TIMEOUT_MS = 60_000;

export interface MeshProcess {
  readonly pid: number | undefined;
  /** Resolves once it has exited. */
  readonly exited: Promise<ChildExit>;
  /** SIGTERM, then SIGKILL after a deadline; resolves once it has exited. */
  stop(): Promise<ChildExit>;
  /** SIGKILL now (a second Ctrl+C); its own children follow through their liveness pipes. */
  kill(): void;
  /** Lets this process exit while the mesh keeps running (--keep). */
  release(): void;
  /** Its last `heddle: …` line since it started: why it stopped. */
  lastMessage(): Promise<string | undefined>;
}

export interface MeshStart {
  readonly planFile: string;
  readonly logFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly keep: boolean;
}

export async function startMeshProcess(start: MeshStart): Promise<MeshProcess> {
  const argv = [ENTRY_POINTS.heddle, 'demo', '--serve-plan', start.planFile];
  const env = { ...start.env };
  delete env.NODE_TEST_CONTEXT;
  appendLogNote(start.logFile, 'starting the demo mesh');
  const logStart = sizeOf(start.logFile);
  const lastMessage = () => lastHeddleLine(start.logFile, logStart);
  if (!start.keep) {
    const child = new SupervisedChild({
      name: 'demo mesh',
      kind: 'node',
      argv,
      env,
      logFile: start.logFile,
      stopTimeoutMs: STOP_TIMEOUT_MS,
    });
    await child.start();
    return {
      pid: child.pid,
      exited: child.done,
      stop: () => child.stop(),
      kill: () => child.kill(),
      release: () => undefined,
      lastMessage,
    };
  }
  const logFd = openLogFile(start.logFile);
  const child = spawn(process.execPath, argv, { env, stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  const exited = new Promise<ChildExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    exited,
    stop: async () => {
      if (running()) child.kill('SIGTERM');
      const timer = setTimeout(() => running() && child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill: () => void (running() && child.kill('SIGKILL')),
    release: () => child.unref(),
    lastMessage,
  };
}

function sizeOf(path: string): number {
  const fd = openLogFile(path);
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

async function lastHeddleLine(path: string, from: number): Promise<string | undefined> {
  const text = (await readFile(path).catch(() => Buffer.alloc(0))).subarray(from).toString('utf8');
  const line = text
    .split('\n')
    .findLast((candidate) => candidate.startsWith('heddle: ') && !candidate.startsWith('heddle: stopping'));
  return line?.slice('heddle: '.length);
}
