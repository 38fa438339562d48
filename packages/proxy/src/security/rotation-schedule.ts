// When the agent renews its certificate and how long it waits after a failure: renewal at half the
// certificate's life with jitter (so a fleet issued together does not renew together), retries with
// capped exponential back-off, and never a wait that runs past the expiry of what is in hand.

export interface RotationPolicy {
  /** Fraction of the lifetime after which to renew; Istio's grace ratio is 0.5. */
  readonly renewRatio: number;
  /** Renewal lands uniformly within ± this fraction of the lifetime around the renew point. */
  readonly jitterRatio: number;
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
}

export const DEFAULT_ROTATION: RotationPolicy = {
  renewRatio: 0.5,
  jitterRatio: 0.05,
  retryBaseMs: 1000,
  retryCapMs: 60_000,
};

/** Milliseconds from `now` until renewal of a certificate valid from `notBefore` to `notAfter`. */
export function renewDelayMs(
  notBefore: number,
  notAfter: number,
  now: number,
  random: number,
  policy: RotationPolicy,
): number {
  const lifetime = Math.max(0, notAfter - notBefore);
  const jitter = (random * 2 - 1) * policy.jitterRatio * lifetime;
  const at = notBefore + lifetime * policy.renewRatio + jitter;
  return Math.max(0, Math.min(at, notAfter) - now);
}

/** Full-jitter back-off for the `attempt`-th consecutive failure (1-based), bounded by the time to expiry. */
export function retryDelayMs(
  attempt: number,
  random: number,
  policy: RotationPolicy,
  untilExpiryMs: number | undefined,
): number {
  const ceiling = Math.min(policy.retryCapMs, policy.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  const delay = ceiling / 2 + (random * ceiling) / 2;
  // Close to expiry, try again before the certificate lapses rather than after.
  if (untilExpiryMs !== undefined && untilExpiryMs > 0)
    return Math.min(delay, Math.max(untilExpiryMs / 2, 50));
  return delay;
}
