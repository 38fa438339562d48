// One supervised child process: started detached from the terminal (only the supervisor signals it), tied to
// the supervisor by a liveness pipe, restarted with back-off when it crashes, stopped with SIGTERM then SIGKILL.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildExit, ChildSpec } from './child-spec.ts';
import { ENTRY_POINTS } from './entry-points.ts';
import { LIVENESS_ENV, LIVENESS_FD } from './liveness-fd.ts';
import { appendLogNote, openLogFile } from './log-file.ts';
import { restartDelay } from './restart-backoff.ts';

export interface ChildEvents {
  /** Every start, the first and each restart. */
  readonly onStart?: (pid: number, restarts: number) => void;
  /** The child ended on its own and will be started again after `delayMs`. */
  readonly onRestart?: (exit: ChildExit, delayMs: number, restarts: number) => void;
  /** The child ended on its own and will not be restarted (no restart policy, or too many crashes). */
  readonly onGiveUp?: (exit: ChildExit, restarts: number) => void;
}

export class SupervisedChild {
  readonly spec: ChildSpec;
  readonly #events: ChildEvents;
  #process: ChildProcess | undefined;
  #stopping = false;
  #restarts = 0;
  #resolveDone: (exit: ChildExit) => void = () => undefined;
  /** Resolves with the last exit once the child has ended for good (stopped, or not restarted). */
  readonly done: Promise<ChildExit>;
  #wakeRestart: AbortController | undefined;

  constructor(spec: ChildSpec, events: ChildEvents = {}) {
    this.spec = spec;
    this.#events = events;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** Spawns the child; rejects when it cannot be spawned at all. */
  async start(): Promise<void> {
    await this.#spawnOnce();
  }

  /** Sends a signal to the running child (nothing when it is not running). */
  signal(signal: NodeJS.Signals): void {
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  }

  /** SIGTERM, then SIGKILL after the spec's deadline; no more restarts. Resolves once it has ended. */
  async stop(): Promise<ChildExit> {
    this.#stopping = true;
    this.#wakeRestart?.abort();
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.spec.stopTimeoutMs);
      try {
        await this.done;
      } finally {
        clearTimeout(timer);
      }
    } else if (!child) {
      this.#resolveDone({ code: null, signal: null });
    }
    return this.done;
  }

  /** SIGKILL now; no more restarts. */
  kill(): void {
    this.#stopping = true;
    this.#wakeRestart?.abort();
    this.signal('SIGKILL');
    if (!this.#process) this.#resolveDone({ code: null, signal: 'SIGKILL' });
  }

  #spawnOnce(): Promise<void> {
    const { spec } = this;
    const [program, args] = this.#commandLine();
    let logFd: number | undefined;
    if (spec.logFile !== undefined) {
      appendLogNote(spec.logFile, this.#restarts === 0 ? `starting ${spec.name}` : `restarting ${spec.name}`);
      logFd = openLogFile(spec.logFile);
    }
    const output = logFd ?? 'inherit';
    const stdio: StdioOptions = [spec.kind === 'command' ? 'inherit' : 'ignore', output, output, 'pipe'];
    const startedAt = Date.now();
    return new Promise<void>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(program, args, {
          cwd: spec.cwd,
          env: { ...compileCacheEnv(spec), ...spec.env, [LIVENESS_ENV]: String(LIVENESS_FD) },
          stdio,
          // Its own process group: Ctrl+C in the terminal reaches the supervisor only, which stops the
          // children in order.
          detached: true,
        });
      } finally {
        if (logFd !== undefined) closeSync(logFd);
      }
      this.#process = child;
      child.once('spawn', () => {
        this.#events.onStart?.(child.pid ?? 0, this.#restarts);
        resolve();
      });
      // After a successful spawn an error (a failed kill) changes nothing: the exit event still comes.
      child.on('error', (error) => {
        if (child.pid === undefined) reject(error);
      });
      child.once('exit', (code, signal) => {
        void this.#onExit({ code, signal }, Date.now() - startedAt);
      });
    });
  }

  #commandLine(): [string, string[]] {
    const { spec } = this;
    const guard = pathToFileURL(ENTRY_POINTS.livenessGuard).href;
    if (spec.kind === 'node') return [process.execPath, ['--import', guard, ...spec.argv]];
    return [process.execPath, ['--import', guard, ENTRY_POINTS.reaper, '--', ...spec.argv]];
  }

  async #onExit(exit: ChildExit, ranMs: number): Promise<void> {
    const { spec } = this;
    const policy = spec.restart;
    if (spec.logFile !== undefined)
      appendLogNote(spec.logFile, `${spec.name} ended (${exit.signal ?? `exit code ${exit.code}`})`);
    if (this.#stopping || policy === undefined) {
      this.#resolveDone(exit);
      return;
    }
    const attempt = ranMs >= policy.stableAfterMs ? 0 : this.#restarts;
    if (ranMs >= policy.stableAfterMs) this.#restarts = 0;
    if (this.#restarts >= policy.maxRestarts) {
      this.#events.onGiveUp?.(exit, this.#restarts);
      this.#resolveDone(exit);
      return;
    }
    const delayMs = restartDelay(policy, attempt);
    this.#restarts++;
    this.#events.onRestart?.(exit, delayMs, this.#restarts);
    this.#wakeRestart = new AbortController();
    try {
      await sleep(delayMs, undefined, { signal: this.#wakeRestart.signal });
    } catch {
      // Stopped while waiting: the child stays down.
    }
    if (this.#stopping) {
      this.#resolveDone(exit);
      return;
    }
    try {
      await this.#spawnOnce();
    } catch {
      this.#events.onGiveUp?.(exit, this.#restarts);
      this.#resolveDone(exit);
    }
  }
}

/**
 * Heddle's own components (not a user's command) start with Node's compile cache on from the first module:
 * the stripped TypeScript is then read from disk, and the type stripper's WebAssembly (about 15 MiB of a
 * proxy's resident memory) is never loaded. The folder is Node's default for `module.enableCompileCache()`.
 */
function compileCacheEnv(spec: ChildSpec): NodeJS.ProcessEnv {
  if (spec.kind === 'command') return {};
  return { NODE_COMPILE_CACHE: join(tmpdir(), 'node-compile-cache') };
}
