// Classifies why an upstream attempt failed before a response: the cluster manager's UpstreamAttemptError
// carries the outcome; for other errors Node's and undici's error codes decide.
import type { AttemptFailure } from './retry-decision.ts';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
]);

const KINDS = new Set<string>(['connect-failure', 'reset', 'refused-stream', 'timeout']);

export function classifyUpstreamError(error: unknown): AttemptFailure {
  if (error !== null && typeof error === 'object') {
    const e = error as {
      outcome?: { kind?: unknown };
      kind?: unknown;
      code?: unknown;
      cause?: unknown;
      message?: unknown;
    };
    const kind = e.outcome?.kind ?? e.kind;
    if (typeof kind === 'string' && KINDS.has(kind)) return kind as AttemptFailure;
    if (typeof e.code === 'string') {
      if (CONNECT_CODES.has(e.code)) return 'connect-failure';
      if (e.code === 'ERR_HTTP2_STREAM_ERROR' && String(e.message).includes('REFUSED_STREAM'))
        return 'refused-stream';
    }
    if (e.cause !== undefined && e.cause !== error) {
      const inner = classifyUpstreamError(e.cause);
      if (inner !== 'reset') return inner;
    }
  }
  return 'reset';
}
