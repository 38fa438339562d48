// The upstream response on its way downstream: headers with hop-by-hop fields removed and the router's own
// headers added, then the body with backpressure and the trailers (or the end of stream).
import { createHeaderMap, stripHopByHop, type HeaderMap } from '../../../http/headers.ts';
import { isStreamedBody, type UpstreamResponse } from '../../../upstream/cluster-view.ts';
import type { FilterCallbacks } from '../http-filter.ts';

export interface ResponseHeaderOptions {
  /** `x-envoy-upstream-service-time`; omitted with suppress_envoy_headers. */
  readonly upstreamServiceTimeMs?: number;
  /** `x-envoy-attempt-count` (include_attempt_count_in_response). */
  readonly attemptCount?: number;
  /** A cookie the hash policy generated. */
  readonly setCookie?: string;
  /** The weighted cluster's response header edits. */
  readonly mutation?: (headers: HeaderMap) => void;
}

export function downstreamResponseHeaders(
  response: UpstreamResponse,
  options: ResponseHeaderOptions,
): HeaderMap {
  const headers = createHeaderMap();
  for (const name in response.headers) {
    const value = response.headers[name];
    if (value !== undefined && name.charCodeAt(0) !== 58)
      headers[name] = typeof value === 'string' ? value : [...value];
  }
  stripHopByHop(headers, false);
  headers[':status'] = String(response.status);
  if (options.upstreamServiceTimeMs !== undefined)
    headers['x-envoy-upstream-service-time'] = String(Math.round(options.upstreamServiceTimeMs));
  if (options.attemptCount !== undefined) headers['x-envoy-attempt-count'] = String(options.attemptCount);
  if (options.setCookie !== undefined) headers['set-cookie'] = options.setCookie;
  options.mutation?.(headers);
  return headers;
}

export interface PumpHooks {
  /** The router gave the stream up (reset, timed out): stop without touching the downstream. */
  isStopped(): boolean;
  /** The upstream side completed; called just before the end of stream goes downstream. */
  onUpstreamDone(): void;
  /** The upstream body or trailers failed mid-response. */
  onUpstreamError(error: unknown): void;
}

/**
 * Streams the body (pausing the upstream while the client is slow), then the trailers or an empty final
 * chunk. Event-driven for the connection pools' bodies; any other body is iterated.
 */
export function pipeResponse(response: UpstreamResponse, cb: FilterCallbacks, hooks: PumpHooks): void {
  const body = response.body;
  if (!isStreamedBody(body)) {
    void pumpResponse(response, cb, hooks);
    return;
  }
  let stopped = false;
  const stop = (): boolean => {
    if (!stopped && hooks.isStopped()) {
      stopped = true;
      body.cancel(new Error('router stopped'));
    }
    return stopped;
  };
  const resume = (): void => {
    if (!stop()) body.resume();
  };
  body.attach({
    data(chunk) {
      if (stop()) return true;
      if (cb.encodeData(chunk, false)) return true;
      cb.onDownstreamDrain(resume);
      return false;
    },
    end(trailers) {
      if (stop()) return;
      hooks.onUpstreamDone();
      sendEnd(cb, trailers);
    },
    error(error) {
      if (stop()) return;
      hooks.onUpstreamError(error);
    },
  });
}

function sendEnd(cb: FilterCallbacks, trailers: Readonly<Record<string, string>> | undefined): void {
  let map: HeaderMap | undefined;
  if (trailers) {
    for (const name in trailers) {
      map ??= createHeaderMap();
      map[name] = trailers[name] as string;
    }
  }
  if (map) cb.encodeTrailers(map);
  else cb.encodeData(EMPTY, true);
}

const EMPTY = new Uint8Array(0);

/** The iterating variant of `pipeResponse`, for bodies that are only async-iterable. */
async function pumpResponse(
  response: UpstreamResponse,
  cb: FilterCallbacks,
  hooks: PumpHooks,
): Promise<void> {
  try {
    for await (const chunk of response.body) {
      if (hooks.isStopped()) return;
      if (!cb.encodeData(chunk, false)) {
        await new Promise<void>((resolve) => cb.onDownstreamDrain(resolve));
        if (hooks.isStopped()) return;
      }
    }
    const trailers = response.trailers ? await response.trailers : undefined;
    if (hooks.isStopped()) return;
    hooks.onUpstreamDone();
    sendEnd(cb, trailers);
  } catch (error) {
    if (hooks.isStopped()) return;
    hooks.onUpstreamError(error);
  }
}
