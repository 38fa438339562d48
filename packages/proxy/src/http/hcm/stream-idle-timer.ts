// The stream idle timer (stream_idle_timeout, or a route's idle_timeout): fires when a stream has had no
// activity for its duration. Activity only stamps the time; the one timer re-arms itself for what remains,
// so a busy stream costs a clock read per event instead of a timer reset.
import type { HttpClock, TimerHandle } from '../clock.ts';

export class StreamIdleTimer {
  readonly #clock: HttpClock;
  readonly #onTimeout: () => void;
  #timeoutMs = 0;
  #lastActivity = 0;
  #timer: TimerHandle | undefined;

  constructor(clock: HttpClock, onTimeout: () => void) {
    this.#clock = clock;
    this.#onTimeout = onTimeout;
  }

  /** (Re)starts the timer with this duration, counting from now; 0 disables it. */
  arm(timeoutMs: number): void {
    this.cancel();
    this.#timeoutMs = timeoutMs;
    if (timeoutMs <= 0) return;
    this.#lastActivity = this.#clock.monotonic();
    this.#timer = this.#clock.setTimer(timeoutMs, () => this.#check());
  }

  /** Something happened on the stream (headers or data either way). */
  touch(): void {
    if (this.#timer) this.#lastActivity = this.#clock.monotonic();
  }

  cancel(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #check(): void {
    this.#timer = undefined;
    const idle = this.#clock.monotonic() - this.#lastActivity;
    const remaining = this.#timeoutMs - idle;
    // Timers may fire a little early; anything under a millisecond counts as expired.
    if (remaining >= 1) {
      this.#timer = this.#clock.setTimer(remaining, () => this.#check());
      return;
    }
    this.#onTimeout();
  }
}
