// The main process's side of `concurrency` > 1: starts N worker processes, hands each the config in force
// (secrets, then clusters, endpoints, routes, listeners), stages and commits every update in all of them,
// restarts a worker that dies (with back-off, from the config in force), and gathers their stats and
// descriptions for the admin API.
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '@heddle/xds';
import type { LogLevel, Logger } from '../admin/logger.ts';
import type { CounterStat, GaugeStat, StatsStore } from '../stats/stats-store.ts';
import type { WorkerStats } from './aggregate-stats.ts';
import type { WireResource, WireSecret, WorkerDescription, WorkerInit } from './worker-protocol.ts';
import { WorkerProcess, WorkerUnavailable } from './worker-process.ts';

/** A new worker gets routes before the listeners that use them, clusters before either. */
const REPLAY_ORDER = [
  CLUSTER_TYPE_URL,
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  LISTENER_TYPE_URL,
];
const APPLY_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5000;
const RESTART_BASE_MS = 200;
const RESTART_CAP_MS = 10_000;
/** A worker that ran this long before it died starts again at the shortest back-off. */
const STABLE_AFTER_MS = 10_000;

export interface WorkerSupervisorOptions {
  readonly count: number;
  readonly init: Omit<WorkerInit, 'kind' | 'workerId'>;
  /** The main process's store: per-worker `server.worker.up` and `server.worker.restarts`. */
  readonly stats: StatsStore;
  readonly logger: Logger;
  /** The worker entry file (tests may give another). */
  readonly entry?: URL;
}

interface Slot {
  readonly workerId: number;
  readonly up: GaugeStat;
  readonly restarts: CounterStat;
  process: WorkerProcess | undefined;
  /** Resolves once the current process has applied the config it was started with. */
  started: Promise<void>;
  startedAt: number;
  failures: number;
  restartTimer: NodeJS.Timeout | undefined;
}

export class WorkerSupervisor {
  readonly #options: WorkerSupervisorOptions;
  readonly #slots: Slot[];
  readonly #config = new Map<string, readonly WireResource[]>();
  #secrets: readonly WireSecret[] = [];
  #logLevels: Readonly<Record<string, LogLevel>> | undefined;
  #secretsText = '[]';
  #applied: Promise<void> = Promise.resolve();
  #stopping = false;

  constructor(options: WorkerSupervisorOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.count }, (_, workerId) => {
      const tags = { worker_id: String(workerId) };
      return {
        workerId,
        up: options.stats.gauge('server.worker.up', tags),
        restarts: options.stats.counter('server.worker.restarts', tags),
        process: undefined,
        started: Promise.resolve(),
        startedAt: 0,
        failures: 0,
        restartTimer: undefined,
      };
    });
  }

  start(): void {
    for (const slot of this.#slots) this.#spawn(slot);
  }

  /** At least one worker has the config in force and serves it. */
  serving(): boolean {
    return this.#slots.some((slot) => slot.up.value === 1);
  }

  setSecrets(secrets: readonly WireSecret[]): void {
    const text = JSON.stringify(secrets);
    if (text === this.#secretsText) return;
    this.#secrets = secrets;
    this.#secretsText = text;
    for (const slot of this.#slots) slot.process?.post({ kind: 'secrets', secrets });
  }

  /** Logger levels changed in the main process (`/logging`): every worker, and every later one, takes them. */
  setLogLevels(levels: Readonly<Record<string, LogLevel>>): void {
    this.#logLevels = levels;
    for (const slot of this.#slots) slot.process?.post({ kind: 'log-levels', levels });
  }

  /** Puts an update in force in every worker (and in every worker started later) in one step. */
  apply(typeUrl: string, resources: readonly WireResource[]): void {
    this.#config.set(typeUrl, resources);
    this.#track(
      this.#slots.map((slot) =>
        slot.process ? this.#applyTo(slot.process, typeUrl, resources) : Promise.resolve(),
      ),
    );
  }

  /**
   * Has every running worker prepare the update and take what it needs; resolves to the first error a worker
   * answers (the update is then NACKed), or undefined once all could. A worker that dies or hangs meanwhile
   * gives no verdict: it is restarted from the config in force.
   */
  stage(stageId: number, typeUrl: string, resources: readonly WireResource[]): Promise<string | undefined> {
    const running = this.#slots.flatMap((slot) => (slot.process?.alive ? [slot.process] : []));
    return new Promise((resolve) => {
      let waiting = running.length;
      if (waiting === 0) return resolve(undefined);
      const done = (): void => {
        if (--waiting === 0) resolve(undefined);
      };
      for (const process of running)
        process
          .request({ kind: 'stage', stageId, typeUrl, resources }, APPLY_TIMEOUT_MS)
          .then(done, (error) => {
            if (!(error instanceof WorkerUnavailable)) return resolve((error as Error).message);
            process.kill('SIGKILL');
            done();
          });
    });
  }

  /** Puts a staged update in force in every worker. */
  commit(stageId: number, typeUrl: string, resources: readonly WireResource[]): void {
    this.#config.set(typeUrl, resources);
    this.#track(
      this.#slots.map((slot) =>
        slot.process
          ? this.#settle(
              slot.process,
              typeUrl,
              slot.process.request({ kind: 'commit', stageId, typeUrl, resources }, APPLY_TIMEOUT_MS),
            )
          : Promise.resolve(),
      ),
    );
  }

  /** Resolves once every running worker has applied what was forwarded so far and bound its listeners. */
  async whenApplied(): Promise<void> {
    await Promise.all([this.#applied, ...this.#slots.map((slot) => slot.started)]);
  }

  async collectStats(timeoutMs: number): Promise<WorkerStats[]> {
    const answers = await Promise.all(
      this.#running().map(async ({ workerId, process }) => {
        const stats = await process.request({ kind: 'stats' }, timeoutMs).catch(() => undefined);
        return stats ? [{ workerId, stats }] : [];
      }),
    );
    return answers.flat();
  }

  async describe(timeoutMs: number): Promise<WorkerDescription[]> {
    const answers = await Promise.all(
      this.#running().map(({ process }) =>
        process.request({ kind: 'describe' }, timeoutMs).catch(() => undefined),
      ),
    );
    return answers.filter((answer) => answer !== undefined);
  }

  /** Every worker drains its listeners (no restarts from here on); resolves when all are idle. */
  async drain(): Promise<void> {
    this.#stopping = true;
    this.#cancelRestarts();
    await Promise.all(
      this.#slots.flatMap((slot) =>
        slot.process ? [slot.process.request({ kind: 'drain' }, undefined).catch(() => undefined)] : [],
      ),
    );
  }

  /** Closes every worker, killing one that has not exited within a few seconds. */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#cancelRestarts();
    await Promise.all(
      this.#slots.map(async (slot) => {
        const process = slot.process;
        if (!process) return;
        await process.request({ kind: 'close' }, CLOSE_TIMEOUT_MS).catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
        await Promise.race([process.exited, late]);
        clearTimeout(timer);
        process.kill('SIGKILL');
        await process.exited;
      }),
    );
  }

  #running(): { workerId: number; process: WorkerProcess }[] {
    return this.#slots.flatMap(({ workerId, process, up }) =>
      process?.alive && up.value === 1 ? [{ workerId, process }] : [],
    );
  }

  #spawn(slot: Slot): void {
    const { init, logger, entry } = this.#options;
    const process = new WorkerProcess(slot.workerId, entry);
    slot.process = process;
    slot.startedAt = Date.now();
    process.post({ kind: 'init', workerId: slot.workerId, ...init });
    process.post({ kind: 'secrets', secrets: this.#secrets });
    if (this.#logLevels) process.post({ kind: 'log-levels', levels: this.#logLevels });
    const replay = REPLAY_ORDER.flatMap((typeUrl) => {
      const resources = this.#config.get(typeUrl);
      return resources ? [this.#applyTo(process, typeUrl, resources)] : [];
    });
    slot.started = Promise.all([...replay, process.request({ kind: 'ping' }, APPLY_TIMEOUT_MS)]).then(
      () => {
        if (slot.process !== process || !process.alive) return;
        slot.up.set(1);
        logger.info(`worker ${slot.workerId} (pid ${process.pid ?? '?'}) is serving`);
      },
      () => undefined,
    );
    void process.exited.then((how) => this.#exited(slot, process, how));
  }

  #track(applied: Promise<void>[]): void {
    this.#applied = Promise.all([this.#applied, ...applied]).then(() => undefined);
  }

  #applyTo(process: WorkerProcess, typeUrl: string, resources: readonly WireResource[]): Promise<void> {
    return this.#settle(
      process,
      typeUrl,
      process.request({ kind: 'apply', typeUrl, resources }, APPLY_TIMEOUT_MS),
    );
  }

  #settle(process: WorkerProcess, typeUrl: string, applied: Promise<undefined>): Promise<void> {
    return applied.then(
      () => undefined,
      (error: unknown) => {
        // The update was checked (by the main process, or staged in every worker): a worker that cannot put
        // it in force has gone wrong, and starts again from the config in force.
        if (!process.alive) return;
        this.#options.logger.error(
          `worker ${process.workerId} could not apply ${typeUrl}: ${(error as Error).message}; restarting it`,
        );
        process.kill('SIGKILL');
      },
    );
  }

  #exited(slot: Slot, process: WorkerProcess, how: string): void {
    if (slot.process !== process) return;
    slot.process = undefined;
    slot.up.set(0);
    if (this.#stopping) return;
    if (Date.now() - slot.startedAt > STABLE_AFTER_MS) slot.failures = 0;
    const delay = Math.min(RESTART_CAP_MS, RESTART_BASE_MS * 2 ** slot.failures);
    slot.failures++;
    this.#options.logger.warn(
      `worker ${slot.workerId} (pid ${process.pid ?? '?'}) exited (${how}); restarting in ${delay} ms`,
    );
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.#stopping) return;
      slot.restarts.inc();
      this.#spawn(slot);
    }, delay);
  }

  #cancelRestarts(): void {
    for (const slot of this.#slots) {
      clearTimeout(slot.restartTimer);
      slot.restartTimer = undefined;
    }
  }
}
