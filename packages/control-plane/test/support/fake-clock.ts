// A manual clock: timers fire only when the test advances time.
import type { Clock, TimerHandle } from '../../src/index.ts';

interface Timer {
  readonly at: number;
  readonly callback: () => void;
  readonly handle: TimerHandle;
}

export class FakeClock implements Clock {
  #now: number;
  #timers: Timer[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = { timer: Symbol('timer') };
    this.#timers.push({ at: this.#now + ms, callback, handle });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.handle !== handle);
  }

  /** Moves time forward, firing due timers in order, each at its own time. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.callback();
    }
    this.#now = end;
  }
}
