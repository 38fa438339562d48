// Time and randomness for the HTTP layer, injectable so tests can control delays, jitter and percentages.

export interface TimerHandle {
  cancel(): void;
}

export interface HttpClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Monotonic milliseconds. */
  monotonic(): number;
  /** Node groups timers of equal duration in one list, so per-request timers of a route share one timer. */
  setTimer(ms: number, callback: () => void): TimerHandle;
}

/** Uniform in [0, 1). */
export type RandomSource = () => number;

export const SYSTEM_CLOCK: HttpClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};
