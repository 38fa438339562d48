// Debounces change events into pushes: a burst is coalesced until it has been quiet for `quietMs`, but never
// delayed more than `maxDelayMs` after its first event; pushes never overlap.
import type { Clock, TimerHandle } from './clock.ts';

export interface DebounceOptions {
  /** Quiet period that ends a burst; Istio's PILOT_DEBOUNCE_AFTER, 100 ms by default. */
  readonly quietMs?: number;
  /** Longest delay after the first event of a burst; Istio's PILOT_DEBOUNCE_MAX, 1 s by default. */
  readonly maxDelayMs?: number;
}

export const DEFAULT_DEBOUNCE = { quietMs: 100, maxDelayMs: 1000 } as const;

export interface PushBatch {
  /** When the first event of the batch arrived (epoch ms). */
  readonly firstAt: number;
  /** Event count by reason (`config`, `service` …), for pilot_push_triggers. */
  readonly reasons: ReadonlyMap<string, number>;
}

export interface PushQueueOptions {
  readonly clock: Clock;
  readonly debounce?: DebounceOptions;
  readonly flush: (batch: PushBatch) => Promise<void>;
  /** A flush that throws is reported here; the queue keeps going. */
  readonly onError: (error: unknown) => void;
}

export class PushQueue {
  readonly #options: PushQueueOptions;
  readonly #quietMs: number;
  readonly #maxDelayMs: number;
  #reasons = new Map<string, number>();
  #firstAt: number | undefined;
  #lastAt = 0;
  #timer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #due = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: PushQueueOptions) {
    this.#options = options;
    this.#quietMs = options.debounce?.quietMs ?? DEFAULT_DEBOUNCE.quietMs;
    this.#maxDelayMs = options.debounce?.maxDelayMs ?? DEFAULT_DEBOUNCE.maxDelayMs;
  }

  trigger(reason: string): void {
    if (this.#closed) return;
    const now = this.#options.clock.now();
    this.#firstAt ??= now;
    this.#lastAt = now;
    this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + 1);
    this.#schedule();
  }

  /** Resolves once no batch is waiting and no flush is running (tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops waiting events and waits for a running flush. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firstAt = undefined;
    await this.#running;
    this.#notifyIdle();
  }

  #schedule(): void {
    const { clock } = this.#options;
    if (this.#timer) clock.clearTimeout(this.#timer);
    const first = this.#firstAt ?? this.#lastAt;
    const at = Math.min(this.#lastAt + this.#quietMs, first + this.#maxDelayMs);
    this.#timer = clock.setTimeout(() => this.#onTimer(), Math.max(0, at - clock.now()));
  }

  #onTimer(): void {
    this.#timer = undefined;
    // A flush in progress finishes first; this batch follows right after it.
    if (this.#running) this.#due = true;
    else this.#start();
  }

  #start(): void {
    if (this.#closed || this.#firstAt === undefined) {
      this.#notifyIdle();
      return;
    }
    const batch: PushBatch = { firstAt: this.#firstAt, reasons: this.#reasons };
    this.#firstAt = undefined;
    this.#reasons = new Map();
    this.#due = false;
    this.#running = this.#options
      .flush(batch)
      .catch((error: unknown) => this.#options.onError(error))
      .finally(() => {
        this.#running = undefined;
        if (this.#due) this.#start();
        else this.#notifyIdle();
      });
  }

  #isIdle(): boolean {
    return this.#closed || (this.#running === undefined && this.#firstAt === undefined);
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
