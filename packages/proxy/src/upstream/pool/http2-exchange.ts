// One HTTP/2 stream as an UpstreamAttempt. It may wait in its pool for a stream slot before it starts;
// REFUSED_STREAM and streams lost to a GOAWAY are reported as `refused-stream` (always safe to retry), unless
// the pool sends the request again on another session first (see Http2Pool).
import { constants, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { pipeline, Readable } from 'node:stream';
import type { UpstreamAttempt, UpstreamHttpRequest, UpstreamResponse } from '../cluster-view.ts';
import { AttemptError, type FailureKind } from '../attempt-error.ts';
import type { ExchangeEnd, ExchangeHooks } from './exchange-hooks.ts';
import { type BodySource, ResponseBody } from './response-body.ts';

export class Http2Exchange implements UpstreamAttempt, BodySource {
  readonly response: Promise<UpstreamResponse>;
  readonly request: UpstreamHttpRequest;
  readonly #hooks: ExchangeHooks;
  readonly #where: string;
  #resolve!: (response: UpstreamResponse) => void;
  #reject!: (err: Error) => void;
  #stream: ClientHttp2Stream | undefined;
  #body: ResponseBody | undefined;
  #trailers: Record<string, string> = {};
  #done = false;
  #streamError: (Error & { code?: string }) | undefined;
  /** Whether the stream's session ever connected: failures before that are connect failures. */
  #connected: () => boolean = () => false;
  /** The pool's offer to send a refused request again elsewhere; true when it took the exchange back. */
  #redispatch: (() => boolean) | undefined;
  /** Times this exchange was sent again after a refusal. */
  redispatched = 0;

  constructor(request: UpstreamHttpRequest, hooks: ExchangeHooks, where: string) {
    this.request = request;
    this.#hooks = hooks;
    this.#where = where;
    this.response = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.response.catch(() => {});
  }

  get done(): boolean {
    return this.#done;
  }

  /** Whether the request can be sent again as it was (no body, or a buffered one). */
  get replayable(): boolean {
    const body = this.request.body;
    return body === undefined || body instanceof Uint8Array;
  }

  start(stream: ClientHttp2Stream, connected: () => boolean, redispatch?: () => boolean): void {
    this.#stream = stream;
    this.#connected = connected;
    this.#redispatch = redispatch;
    this.#streamError = undefined;
    stream.on('response', (headers) => this.#onResponse(headers));
    stream.on('data', (chunk: Buffer) => this.#body?.push(chunk));
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      this.#trailers = plainHeaders(trailers) as Record<string, string>;
    });
    stream.on('end', () => this.#onEnd());
    stream.on('error', (err: Error & { code?: string }) => {
      this.#streamError = err;
    });
    stream.on('close', () => this.#onClose(stream));
    const body = this.request.body;
    if (body === undefined) return;
    if (body instanceof Uint8Array) {
      stream.end(body);
    } else {
      pipeline(Readable.from(body), stream, () => {});
    }
  }

  /** Fails an exchange that never got a stream (its session failed, or it was refused). */
  fail(kind: FailureKind, code: string, message: string, cause?: unknown): void {
    this.#finish(new AttemptError(kind, code, `${message} (${this.#where})`, { cause }), 'failed');
  }

  cancel(reason: string): void {
    if (this.#done) return;
    const err = new AttemptError(
      'reset',
      'HEDDLE_UPSTREAM_CANCELLED',
      `request to ${this.#where} cancelled: ${reason}`,
    );
    if (this.#stream) this.#stream.close(constants.NGHTTP2_CANCEL);
    this.#finish(err, this.#stream ? 'reset-local' : 'cancelled');
  }

  pause(): void {
    this.#stream?.pause();
  }
  resume(): void {
    this.#stream?.resume();
  }
  abort(reason: Error): void {
    this.cancel(reason.message);
  }

  #onResponse(headers: IncomingHttpHeaders): void {
    if (this.#done) return;
    const status = Number(headers[':status']);
    this.#hooks.onStatus(status);
    const body = new ResponseBody(this);
    this.#body = body;
    this.#resolve({
      status,
      headers: plainHeaders(headers),
      body,
      get trailers() {
        return body.trailers;
      },
    });
  }

  #onEnd(): void {
    if (this.#done || !this.#body) return;
    this.#done = true;
    this.#body.end(this.#trailers);
    this.#hooks.onDone('complete');
  }

  #onClose(stream: ClientHttp2Stream): void {
    if (this.#done) return;
    if (this.#body && stream.rstCode === constants.NGHTTP2_NO_ERROR && stream.readableEnded) {
      this.#onEnd();
      return;
    }
    // Streams above a GOAWAY's last stream id were never processed by the server.
    const refused =
      stream.rstCode === constants.NGHTTP2_REFUSED_STREAM ||
      this.#streamError?.code === 'ERR_HTTP2_GOAWAY_SESSION';
    if (refused && !this.#body && this.replayable && this.#redispatch?.()) return;
    const kind: FailureKind = refused ? 'refused-stream' : this.#connected() ? 'reset' : 'connect-failure';
    const code =
      kind === 'refused-stream'
        ? 'HEDDLE_UPSTREAM_REFUSED_STREAM'
        : kind === 'reset'
          ? 'HEDDLE_UPSTREAM_RESET'
          : 'HEDDLE_UPSTREAM_CONNECT_FAILURE';
    this.#finish(
      new AttemptError(kind, code, `upstream stream closed (${this.#where}), code ${stream.rstCode}`),
      kind === 'reset' ? 'reset-remote' : 'failed',
    );
  }

  #finish(err: AttemptError, end: ExchangeEnd): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#body) {
      this.#body.fail(err);
    } else {
      this.#reject(err);
    }
    this.#hooks.onDone(end);
  }
}

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (name.charCodeAt(0) === 58) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
