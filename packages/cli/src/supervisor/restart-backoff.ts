// How long the supervisor waits before restarting a crashed child: doubling from `baseMs`, capped at `capMs`.

export interface RestartPolicy {
  /** Delay before the first restart. */
  readonly baseMs: number;
  /** No delay is longer than this. */
  readonly capMs: number;
  /** Restarts in a row (each run shorter than `stableAfterMs`) before the supervisor gives up. */
  readonly maxRestarts: number;
  /** A run at least this long counts as healthy: the next crash starts again from `baseMs`. */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseMs: 500,
  capMs: 30_000,
  maxRestarts: 10,
  stableAfterMs: 60_000,
};

/** The delay before restart number `attempt` (0 for the first restart after a healthy run). */
export function restartDelay(policy: RestartPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
}
