// Reconnect back-off: exponential with full jitter, so that proxies losing the same control plane do not
// come back in lock step.

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
  /** A number in [0, 1); Math.random by default, injectable for tests. */
  readonly random: () => number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, capMs: 30_000 } as const;

/** The delay before retry number `attempt` (0 for the first retry): uniform in [0, min(cap, base · 2^attempt)). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(options.random() * ceiling);
}

export class Backoff {
  readonly #options: BackoffOptions;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  next(): number {
    return backoffDelay(this.#attempt++, this.#options);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
