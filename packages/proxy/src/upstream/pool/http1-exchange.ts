// One HTTP/1.1 request through undici, as an undici dispatch handler (callbacks, no promise chain inside) and
// an UpstreamAttempt. A failure before the request reached a connection is a connect failure; after, a reset.
import type { Dispatcher } from 'undici';
import type { AttemptListener, UpstreamAttempt, UpstreamResponse } from '../cluster-view.ts';
import { AttemptError, isAttemptError } from '../attempt-error.ts';
import type { ExchangeHooks } from './exchange-hooks.ts';
import { type BodySource, ResponseBody } from './response-body.ts';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

export class Http1Exchange implements UpstreamAttempt, Dispatcher.DispatchHandler, BodySource {
  readonly #hooks: ExchangeHooks;
  readonly #where: string;
  /** The outcome's consumer: the router's callbacks, or the `response` promise built on first use. */
  #listener: AttemptListener | undefined;
  #promise: Promise<UpstreamResponse> | undefined;
  /** The outcome, kept until a consumer arrives. */
  #outcome: Outcome | undefined;
  #controller: Controller | undefined;
  #body: ResponseBody | undefined;
  #started = false;
  #cancelled: Error | undefined;
  #done = false;
  #release: (() => void) | undefined;

  constructor(hooks: ExchangeHooks, where: string) {
    this.#hooks = hooks;
    this.#where = where;
  }

  get response(): Promise<UpstreamResponse> {
    if (!this.#promise) {
      const promise = new Promise<UpstreamResponse>((resolve, reject) => {
        const outcome = this.#outcome;
        if (outcome) {
          if (outcome.ok) resolve(outcome.response);
          else reject(outcome.error);
          return;
        }
        this.#listener = { onResponse: resolve, onError: reject };
      });
      // A cancelled attempt's promise may never be awaited.
      promise.catch(ignore);
      this.#promise = promise;
    }
    return this.#promise;
  }

  listen(listener: AttemptListener): void {
    const outcome = this.#outcome;
    if (outcome) {
      queueMicrotask(() => deliver(listener, outcome));
      return;
    }
    this.#listener = listener;
  }

  #settle(outcome: Outcome): void {
    this.#outcome = outcome;
    const listener = this.#listener;
    // As a promise would: never from inside undici's callback.
    if (listener) queueMicrotask(() => deliver(listener, outcome));
  }

  get done(): boolean {
    return this.#done;
  }

  /** The pool's callback to free the connection this exchange was given; runs once the exchange ends. */
  attach(release: () => void): void {
    this.#release = release;
  }

  cancel(reason: string): void {
    if (this.#done) return;
    const err = new AttemptError(
      'reset',
      'HEDDLE_UPSTREAM_CANCELLED',
      `request to ${this.#where} cancelled: ${reason}`,
    );
    this.#cancelled = err;
    if (this.#controller) {
      this.#controller.abort(err);
    } else {
      // Still queued in the pool: fail now, and abort the moment undici hands it a connection.
      this.#finish(err, 'cancelled');
    }
  }

  // BodySource
  pause(): void {
    this.#controller?.pause();
  }
  resume(): void {
    this.#controller?.resume();
  }
  abort(reason: Error): void {
    if (!this.#done) this.cancel(reason.message);
  }

  // undici dispatch handler
  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    this.#started = true;
    if (this.#cancelled) controller.abort(this.#cancelled);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Headers): void {
    this.#controller = controller;
    if (this.#done) return;
    this.#hooks.onStatus(statusCode);
    const body = new ResponseBody(this);
    this.#body = body;
    const response = new Http1Response(statusCode, headers as UpstreamResponse['headers'], body);
    this.#settle({ ok: true, response });
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    this.#body?.push(chunk);
  }

  onResponseEnd(_controller: Controller, trailers: Headers): void {
    if (this.#done) return;
    this.#done = true;
    this.#body?.end(flatten(trailers));
    this.#hooks.onDone('complete');
    this.#release?.();
  }

  onResponseError(_controller: Controller, error: Error): void {
    if (this.#done) return;
    if (isAttemptError(error)) {
      this.#finish(error, error === this.#cancelled ? 'reset-local' : 'failed');
      return;
    }
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') {
      // undici refused the request itself (a header it cannot send): nothing reached the upstream.
      const invalid = new AttemptError(
        'reset',
        'HEDDLE_UPSTREAM_INVALID_REQUEST',
        `request refused locally: ${error.message}`,
        {
          cause: error,
        },
      );
      this.#finish(invalid, 'failed');
      return;
    }
    const kind = this.#started ? 'reset' : 'connect-failure';
    const err = new AttemptError(
      kind,
      kind === 'reset' ? 'HEDDLE_UPSTREAM_RESET' : 'HEDDLE_UPSTREAM_CONNECT_FAILURE',
      `${kind === 'reset' ? 'upstream reset' : 'connect failure'} (${this.#where}): ${error.message}`,
      { cause: error },
    );
    this.#finish(err, kind === 'reset' ? 'reset-remote' : 'failed');
  }

  #finish(err: Error, end: Parameters<ExchangeHooks['onDone']>[0]): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#body) {
      this.#body.fail(err);
    } else {
      this.#settle({ ok: false, error: err });
    }
    this.#hooks.onDone(end);
    this.#release?.();
  }
}

/** The response as the router sees it; the trailers promise exists only for those who ask. */
class Http1Response implements UpstreamResponse {
  readonly status: number;
  readonly headers: UpstreamResponse['headers'];
  readonly body: ResponseBody;

  constructor(status: number, headers: UpstreamResponse['headers'], body: ResponseBody) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  get trailers(): Promise<Readonly<Record<string, string>>> {
    return this.body.trailers;
  }
}

const NO_TRAILERS: Readonly<Record<string, string>> = Object.freeze({});

const ignore = (): void => {};

type Outcome =
  { readonly ok: true; readonly response: UpstreamResponse } | { readonly ok: false; readonly error: Error };

function deliver(listener: AttemptListener, outcome: Outcome): void {
  if (outcome.ok) listener.onResponse(outcome.response);
  else listener.onError(outcome.error);
}

function flatten(headers: Headers): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) (out ??= {})[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out ?? NO_TRAILERS;
}
