// The error an upstream attempt (or a tcp_proxy connect) fails with, carrying the outcome to report.
import type { AttemptOutcome, UpstreamAttemptError } from './cluster-view.ts';

export type FailureKind = Exclude<AttemptOutcome, { readonly kind: 'response' }>['kind'];

export const CONNECT_FAILURE: AttemptOutcome = { kind: 'connect-failure' };
export const RESET: AttemptOutcome = { kind: 'reset' };
export const TIMEOUT: AttemptOutcome = { kind: 'timeout' };
export const REFUSED_STREAM: AttemptOutcome = { kind: 'refused-stream' };

export class AttemptError extends Error implements UpstreamAttemptError {
  override readonly name = 'UpstreamAttemptError';
  readonly outcome: Exclude<AttemptOutcome, { readonly kind: 'response' }>;
  /** `HEDDLE_UPSTREAM_*`, stable for tests and logs. */
  readonly code: string;

  constructor(kind: FailureKind, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.outcome = { kind };
    this.code = code;
  }
}

export function connectFailure(message: string, cause?: unknown): AttemptError {
  return new AttemptError('connect-failure', 'HEDDLE_UPSTREAM_CONNECT_FAILURE', message, { cause });
}

export function isAttemptError(err: unknown): err is AttemptError {
  return err instanceof AttemptError;
}
