// The authorization check over HTTP: the original method and path (after path_prefix) with the allowed request
// headers, every value of a repeated header included, sent through the proxy's own cluster for the service.
import { HOP_BY_HOP, type HeaderMap, type ReadonlyHeaderMap } from '../../../http/headers.ts';
import type { HttpClock } from '../../../http/clock.ts';
import type {
  ClusterManagerView,
  UpstreamHttpRequest,
  UpstreamResponse,
} from '../../../upstream/cluster-view.ts';
import type { ExtAuthzConfig } from './config.ts';

/** Envoy always sends these, whatever allowed_headers says. */
const ALWAYS_SENT = new Set(['authorization', 'content-length']);
/** Bounds how much of a denial body is kept for the client. */
const MAX_BODY_BYTES = 64 * 1024;

/** Header changes a gRPC service asks for on an allowed request (OkHttpResponse). */
export interface HeaderMutations {
  readonly set: readonly (readonly [string, string])[];
  readonly append: readonly (readonly [string, string])[];
  readonly remove: readonly string[];
}

export type CheckResult =
  | {
      readonly kind: 'ok';
      /** The HTTP service's response headers, filtered by the allowed_upstream_headers lists. */
      readonly headers: ReadonlyHeaderMap;
      /** A gRPC service's explicit changes, applied as they are. */
      readonly mutations?: HeaderMutations;
    }
  | {
      readonly kind: 'denied';
      readonly status: number;
      readonly headers: ReadonlyHeaderMap;
      readonly body: string;
    }
  | { readonly kind: 'error'; readonly reason: string };

export function checkRequestHeaders(
  config: ExtAuthzConfig,
  request: HeaderMap,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in request) {
    if (name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
    if (!ALWAYS_SENT.has(name) && !(config.allowedHeaders?.(name) ?? false)) continue;
    const value = request[name] as string | string[];
    out[name] = typeof value === 'string' ? value : [...value];
  }
  out['content-length'] = '0';
  for (const [name, value] of config.headersToAdd) out[name] = value;
  return out;
}

async function readBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < MAX_BODY_BYTES) chunks.push(Buffer.from(chunk));
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

export interface CheckHandle {
  readonly result: Promise<CheckResult>;
  cancel(): void;
}

/**
 * Sends one check through the service's cluster (host choice, circuit breaker, the check timeout) and reads
 * its answer with `interpret`; every failure to get an answer is an `error` result.
 */
export function sendToService(
  config: ExtAuthzConfig,
  clusters: ClusterManagerView,
  clock: HttpClock,
  request: UpstreamHttpRequest,
  interpret: (response: UpstreamResponse) => Promise<CheckResult>,
): CheckHandle {
  const cluster = clusters.cluster(config.cluster);
  if (!cluster)
    return { result: Promise.resolve({ kind: 'error', reason: 'cluster_not_found' }), cancel: () => {} };
  const host = cluster.selectHost({});
  if (!host)
    return { result: Promise.resolve({ kind: 'error', reason: 'no_healthy_upstream' }), cancel: () => {} };
  const guard = cluster.admitRequest();
  if (!guard) return { result: Promise.resolve({ kind: 'error', reason: 'overflow' }), cancel: () => {} };
  const attempt = cluster.sendHttp(host, request);
  let timedOut = false;
  const timer = clock.setTimer(config.timeoutMs, () => {
    timedOut = true;
    attempt.cancel('ext_authz timeout');
  });
  const result = (async (): Promise<CheckResult> => {
    try {
      const response = await attempt.response;
      cluster.recordOutcome(host, { kind: 'response', status: response.status });
      return await interpret(response);
    } catch {
      if (timedOut) cluster.recordOutcome(host, { kind: 'timeout' });
      return { kind: 'error', reason: timedOut ? 'timeout' : 'request_failed' };
    } finally {
      timer.cancel();
      guard.release();
    }
  })();
  return {
    result,
    cancel: () => {
      timer.cancel();
      attempt.cancel('downstream gone');
    },
  };
}

/** The HTTP service mode: a 200 allows, any other status denies with that status, headers and body. */
export function sendCheck(
  config: ExtAuthzConfig,
  clusters: ClusterManagerView,
  clock: HttpClock,
  request: HeaderMap,
): CheckHandle {
  const path = request[':path'];
  const upstream: UpstreamHttpRequest = {
    method: typeof request[':method'] === 'string' ? request[':method'] : 'GET',
    path: `${config.pathPrefix}${typeof path === 'string' ? path : '/'}`,
    authority: config.authority,
    headers: checkRequestHeaders(config, request),
    protocol: 'http1',
  };
  return sendToService(config, clusters, clock, upstream, async (response) => {
    const body = await readBody(response.body);
    if (response.status === 200) return { kind: 'ok', headers: response.headers };
    return { kind: 'denied', status: response.status, headers: response.headers, body };
  });
}
