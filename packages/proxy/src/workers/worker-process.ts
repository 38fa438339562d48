// One worker process seen from the main process: forked with the main process's Node flags, spoken to over
// IPC with numbered requests (each answered or failed at its timeout, or when the process exits). Messages
// wait until the worker has said hello, so none is lost while it loads.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MainToWorker, WorkerReplies, WorkerRequest, WorkerToMain } from './worker-protocol.ts';
import { WORKER_ID_ENV } from './worker-protocol.ts';

const WORKER_ENTRY = new URL('./worker-entry.ts', import.meta.url);

/** The worker exited or did not answer in time: no verdict on the request. */
export class WorkerUnavailable extends Error {}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

export class WorkerProcess {
  readonly workerId: number;
  /** Resolves with the exit code (or signal name) once the process has gone. */
  readonly exited: Promise<string>;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #queue: MainToWorker[] | undefined = [];
  #nextId = 1;
  #gone = false;

  constructor(workerId: number, entry: URL = WORKER_ENTRY) {
    this.workerId = workerId;
    this.#child = fork(fileURLToPath(entry), [], {
      execArgv: process.execArgv,
      env: { ...process.env, [WORKER_ID_ENV]: String(workerId) },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => {
        this.#gone = true;
        for (const [id, pending] of this.#pending)
          this.#settle(id, pending, new WorkerUnavailable('the worker exited'));
        resolve(signal ?? String(code));
      }),
    );
    this.#child.on('error', () => undefined);
    this.#child.on('message', (message: WorkerToMain) => this.#receive(message));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return !this.#gone;
  }

  /** Sends a one-way message (init, secrets), in order with every other. */
  post(message: MainToWorker): void {
    if (this.#gone) return;
    if (this.#queue) this.#queue.push(message);
    else this.#child.send(message, (error) => error && undefined);
  }

  request<K extends WorkerRequest['kind']>(
    request: Extract<WorkerRequest, { kind: K }>,
    timeoutMs: number | undefined,
  ): Promise<WorkerReplies[K]> {
    if (this.#gone) return Promise.reject(new WorkerUnavailable('the worker exited'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const pending = this.#pending.get(id);
              if (pending)
                this.#settle(id, pending, new WorkerUnavailable(`no answer within ${timeoutMs} ms`));
            }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.post({ kind: 'request', id, request });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.#gone && this.#child.pid !== undefined) this.#child.kill(signal);
  }

  #receive(message: WorkerToMain): void {
    if (message.kind === 'hello') {
      const queued = this.#queue ?? [];
      this.#queue = undefined;
      for (const item of queued) this.#child.send(item, (error) => error && undefined);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.error !== undefined) this.#settle(message.id, pending, new Error(message.error));
    else this.#settle(message.id, pending, undefined, message.value);
  }

  #settle(id: number, pending: Pending, error: Error | undefined, value?: unknown): void {
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(value);
  }
}
