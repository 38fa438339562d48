// Time as the push machinery sees it: injected, so debounce and status tests run fast and deterministically.

/** Opaque handle of a scheduled callback. */
export type TimerHandle = { readonly timer: unknown };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => ({ timer: setTimeout(callback, ms) }),
  clearTimeout: (handle) => clearTimeout(handle.timer as NodeJS.Timeout),
};
