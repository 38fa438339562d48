// Leases on workload registrations: a registration made through the API lives `leaseSeconds` unless its
// workload renews it (heartbeat), so a workload that dies without deregistering leaves the mesh by itself.
import type { Clock, TimerHandle } from '../push/clock.ts';

/** What `POST /apis/v1/workloads` grants when the request names no lease. */
export const DEFAULT_LEASE_SECONDS = 30;
export const MAX_LEASE_SECONDS = 86_400;

export interface Lease {
  readonly leaseSeconds: number;
  /** Milliseconds since the epoch, by the registry's clock. */
  readonly expiresAt: number;
}

/** The lease a request asks for, or a sentence saying why it cannot be granted. */
export function parseLeaseSeconds(value: unknown): number | { readonly error: string } {
  if (value === undefined) return DEFAULT_LEASE_SECONDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LEASE_SECONDS)
    return { error: `leaseSeconds must be a whole number of seconds between 1 and ${MAX_LEASE_SECONDS}` };
  return value;
}

interface Running {
  readonly leaseSeconds: number;
  readonly onExpire: () => void;
  timer: TimerHandle;
  expiresAt: number;
}

/** One expiry timer per registration id, on an injected clock. */
export class LeaseTimers {
  readonly #clock: Clock;
  readonly #leases = new Map<number, Running>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  start(id: number, leaseSeconds: number, onExpire: () => void): Lease {
    this.cancel(id);
    const running: Running = { leaseSeconds, onExpire, timer: { timer: undefined }, expiresAt: 0 };
    this.#leases.set(id, running);
    return this.#arm(id, running);
  }

  /** Starts the lease over; undefined when there is none (expired, cancelled, never granted). */
  renew(id: number): Lease | undefined {
    const running = this.#leases.get(id);
    if (!running) return undefined;
    this.#clock.clearTimeout(running.timer);
    return this.#arm(id, running);
  }

  cancel(id: number): void {
    const running = this.#leases.get(id);
    if (!running) return;
    this.#clock.clearTimeout(running.timer);
    this.#leases.delete(id);
  }

  clear(): void {
    for (const id of [...this.#leases.keys()]) this.cancel(id);
  }

  #arm(id: number, running: Running): Lease {
    const ms = running.leaseSeconds * 1000;
    running.expiresAt = this.#clock.now() + ms;
    running.timer = this.#clock.setTimeout(() => {
      if (this.#leases.get(id) !== running) return;
      this.#leases.delete(id);
      running.onExpire();
    }, ms);
    return { leaseSeconds: running.leaseSeconds, expiresAt: running.expiresAt };
  }
}
