// The router's own error answers: Envoy's status, response flag, details and plain-text body for each way a
// request can fail before the upstream's response headers arrive.
import type { ResponseFlag } from '../../../http/stream-info.ts';
import type { LocalReply } from '../http-filter.ts';
import type { AttemptFailure } from './retry-decision.ts';

const FAILURE_REASON: Readonly<Record<AttemptFailure, { flag: ResponseFlag; reason: string }>> = {
  'connect-failure': { flag: 'UF', reason: 'connection_failure' },
  reset: { flag: 'UR', reason: 'remote_reset' },
  'refused-stream': { flag: 'UR', reason: 'remote_refused_stream_reset' },
  timeout: { flag: 'UT', reason: 'per_try_timeout' },
};

const BODIES: Readonly<Record<string, string>> = {
  route_not_found: '',
  no_healthy_upstream: 'no healthy upstream',
  overflow: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
  upstream_response_timeout: 'upstream request timeout',
  upstream_per_try_timeout: 'upstream request timeout',
};

export interface RouterFailure {
  readonly status: number;
  readonly flag: ResponseFlag | undefined;
  readonly details: string;
}

/** The answer when the last attempt failed and no retry follows. */
export function attemptFailureReply(failure: AttemptFailure): RouterFailure {
  if (failure === 'timeout') return { status: 504, flag: 'UT', details: 'upstream_per_try_timeout' };
  const { flag, reason } = FAILURE_REASON[failure];
  return { status: 503, flag, details: `upstream_reset_before_response_started{${reason}}` };
}

/** The local reply for a router failure, with Envoy's body text for its details. */
export function routerLocalReply({ status, flag, details }: RouterFailure): LocalReply {
  const body =
    BODIES[details] ??
    (details.startsWith('upstream_reset')
      ? `upstream connect error or disconnect/reset before headers. reset reason: ${details}`
      : undefined);
  return { status, ...(flag ? { flag } : {}), details, ...(body ? { body } : {}) };
}
