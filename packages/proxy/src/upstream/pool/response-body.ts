// The response body handed to the router, fed by the connection. The router consumes it through callbacks
// (`attach`: one call per chunk, a `false` answer pauses the connection until `resume()`); other consumers
// (mirrors, exporters, tests) iterate it, which builds a Readable on demand. Either way `cancel()` (or
// leaving the iteration early) aborts the upstream request unless it already completed.
import { Readable } from 'node:stream';
import type { ResponseBodySink, StreamedResponseBody } from '../cluster-view.ts';

export interface BodySource {
  pause(): void;
  resume(): void;
  /** The consumer went away before the end: abort the upstream request. */
  abort(reason: Error): void;
}

const NO_TRAILERS: Readonly<Record<string, string>> = Object.freeze({});

export class ResponseBody implements StreamedResponseBody {
  readonly #source: BodySource;
  #sink: ResponseBodySink | undefined;
  #readable: Readable | undefined;
  /** Chunks that arrived before a consumer. */
  #queued: Uint8Array[] | undefined;
  #ended = false;
  #trailers: Readonly<Record<string, string>> = NO_TRAILERS;
  #error: Error | undefined;
  #trailersPromise: Promise<Readonly<Record<string, string>>> | undefined;
  #resolveTrailers: ((trailers: Readonly<Record<string, string>>) => void) | undefined;
  #cancelled = false;

  constructor(source: BodySource) {
    this.#source = source;
  }

  // ---- producer (the exchange) ----

  push(chunk: Uint8Array): void {
    if (this.#cancelled) return;
    const sink = this.#sink;
    if (sink) {
      if (!sink.data(chunk)) this.#source.pause();
    } else if (this.#readable) {
      if (!this.#readable.push(chunk)) this.#source.pause();
    } else {
      (this.#queued ??= []).push(chunk);
    }
  }

  end(trailers: Readonly<Record<string, string>>): void {
    if (this.#ended || this.#error) return;
    this.#ended = true;
    this.#trailers = trailers;
    this.#resolveTrailers?.(trailers);
    if (this.#sink) this.#sink.end(trailers);
    else this.#readable?.push(null);
  }

  fail(error: Error): void {
    if (this.#ended || this.#error) return;
    this.#error = error;
    this.#resolveTrailers?.(NO_TRAILERS);
    if (this.#sink) this.#sink.error(error);
    else this.#readable?.destroy(error);
  }

  // ---- consumer ----

  /** The trailers once the body ended (empty when none, or when the body failed). */
  get trailers(): Promise<Readonly<Record<string, string>>> {
    if (!this.#trailersPromise) {
      this.#trailersPromise =
        this.#ended || this.#error
          ? Promise.resolve(this.#trailers)
          : new Promise((resolve) => (this.#resolveTrailers = resolve));
    }
    return this.#trailersPromise;
  }

  attach(sink: ResponseBodySink): void {
    if (this.#sink || this.#readable) throw new Error('response body already consumed');
    this.#sink = sink;
    const queued = this.#queued;
    this.#queued = undefined;
    let more = true;
    if (queued && this.#ended && !this.#error && sink.last) {
      // The whole body is here: all but the last chunk, then the last one with the end.
      const lastIndex = queued.length - 1;
      for (let i = 0; i < lastIndex; i++) sink.data(queued[i] as Uint8Array);
      sink.last(queued[lastIndex] as Uint8Array, this.#trailers);
      return;
    }
    if (queued) for (const chunk of queued) more = sink.data(chunk) && more;
    if (this.#error) sink.error(this.#error);
    else if (this.#ended) sink.end(this.#trailers);
    else if (!more) this.#source.pause();
  }

  resume(): void {
    if (!this.#ended && !this.#error && !this.#cancelled) this.#source.resume();
  }

  cancel(reason: Error): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    if (!this.#ended && !this.#error) this.#source.abort(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.#toReadable()[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  }

  #toReadable(): Readable {
    if (this.#sink || this.#readable) throw new Error('response body already consumed');
    const readable = new Readable({
      read: () => this.resume(),
      destroy: (err, callback) => {
        this.cancel(err ?? new Error('response body destroyed'));
        callback(err);
      },
    });
    this.#readable = readable;
    const queued = this.#queued;
    this.#queued = undefined;
    if (queued) for (const chunk of queued) readable.push(chunk);
    if (this.#error) readable.destroy(this.#error);
    else if (this.#ended) readable.push(null);
    return readable;
  }
}
