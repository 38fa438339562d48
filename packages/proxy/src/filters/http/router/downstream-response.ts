// The upstream response on its way downstream: headers with hop-by-hop fields removed and the router's own
// headers added, then the body with backpressure and the trailers (or the end of stream).
import { createHeaderMap, stripHopByHop, type HeaderMap } from '../../../http/headers.ts';
import {
  isStreamedBody,
  type ResponseBodySink,
  type StreamedResponseBody,
  type UpstreamResponse,
} from '../../../upstream/cluster-view.ts';
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
  const upstream = response.headers;
  for (const name in upstream) {
    const value = upstream[name];
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
  body.attach(new ResponsePump(body, cb, hooks));
}

/** The sink of a streamed body: one object per response, its methods on the prototype. */
class ResponsePump implements ResponseBodySink {
  readonly #body: StreamedResponseBody;
  readonly #cb: FilterCallbacks;
  readonly #hooks: PumpHooks;
  #stopped = false;
  readonly #resume = (): void => {
    if (!this.#stop()) this.#body.resume();
  };

  constructor(body: StreamedResponseBody, cb: FilterCallbacks, hooks: PumpHooks) {
    this.#body = body;
    this.#cb = cb;
    this.#hooks = hooks;
  }

  #stop(): boolean {
    if (!this.#stopped && this.#hooks.isStopped()) {
      this.#stopped = true;
      this.#body.cancel(new Error('router stopped'));
    }
    return this.#stopped;
  }

  data(chunk: Uint8Array): boolean {
    if (this.#stop()) return true;
    if (this.#cb.encodeData(chunk, false)) return true;
    this.#cb.onDownstreamDrain(this.#resume);
    return false;
  }

  end(trailers: Readonly<Record<string, string>>): void {
    if (this.#stop()) return;
    this.#hooks.onUpstreamDone();
    sendEnd(this.#cb, trailers);
  }

  last(chunk: Uint8Array, trailers: Readonly<Record<string, string>>): void {
    if (this.#stop()) return;
    let hasTrailers = false;
    for (const _ in trailers) {
      hasTrailers = true;
      break;
    }
    if (hasTrailers) {
      this.data(chunk);
      this.end(trailers);
      return;
    }
    // The whole body is here: the last chunk carries the end of stream (one write downstream).
    this.#hooks.onUpstreamDone();
    this.#cb.encodeData(chunk, true);
  }

  error(error: Error): void {
    if (this.#stop()) return;
    this.#hooks.onUpstreamError(error);
  }
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
