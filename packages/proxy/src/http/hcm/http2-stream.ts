// An HTTP/2 exchange over Node's ServerHttp2Stream.
import { constants, type ServerHttp2Stream } from 'node:http2';
import type { HeaderMap } from '../headers.ts';
import { markLocalReset } from './premature-reset.ts';
import { outgoingHeaders, type DownstreamEvents, type DownstreamStream } from './downstream-stream.ts';

const ignoreError = (): void => {};

export class Http2Stream implements DownstreamStream {
  readonly protocol = 'http2' as const;
  readonly requestEnded: boolean;
  readonly #stream: ServerHttp2Stream;
  #trailers: HeaderMap | undefined;
  #ended = false;

  constructor(stream: ServerHttp2Stream, endStream: boolean) {
    this.#stream = stream;
    this.requestEnded = endStream;
    // A stream error is followed by 'close'; without a listener it would be thrown.
    stream.on('error', ignoreError);
  }

  start(events: DownstreamEvents): void {
    const stream = this.#stream;
    if (!this.requestEnded) {
      stream.on('data', (chunk: Buffer) => events.onData(chunk, false));
      stream.on('end', () => events.onData(new Uint8Array(0), true));
    } else {
      stream.resume();
    }
    stream.once('close', () => events.onClose(this.#ended && stream.rstCode === constants.NGHTTP2_NO_ERROR));
  }

  sendHeaders(headers: HeaderMap, endStream: boolean, expectTrailers: boolean): void {
    const stream = this.#stream;
    if (stream.destroyed || stream.closed || stream.headersSent) return;
    // Node's raw `[name, value, …]` form: no header object built here nor copied again by node:http2.
    // A status that is no number becomes 200, as node:http2's object form does.
    const status = Number(headers[':status']) | 0 || 200;
    const out: (string | string[])[] = [':status', String(status)];
    for (const name in headers)
      if (name.charCodeAt(0) !== 58) out.push(name, headers[name] as string | string[]);
    if (expectTrailers && !endStream) {
      stream.once('wantTrailers', () => {
        const trailers = this.#trailers;
        stream.sendTrailers(trailers ? outgoingHeaders(trailers) : {});
      });
    }
    // The type lists plain strings; node:http2 takes an array value for a repeated field here too.
    stream.respond(out as string[], { endStream, waitForTrailers: expectTrailers && !endStream });
    if (endStream) this.#ended = true;
  }

  sendData(chunk: Uint8Array, endStream: boolean): boolean {
    const stream = this.#stream;
    if (stream.destroyed) return true;
    if (endStream) {
      this.#ended = true;
      stream.end(chunk);
      return true;
    }
    return chunk.length === 0 || stream.write(chunk);
  }

  sendTrailers(trailers: HeaderMap): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    this.#trailers = trailers;
    this.#ended = true;
    // Without waitForTrailers at respond time the trailers cannot be sent; the stream still ends cleanly.
    stream.end();
  }

  onDrain(callback: () => void): void {
    this.#stream.once('drain', callback);
  }

  setReadDisabled(disabled: boolean): void {
    if (disabled) this.#stream.pause();
    else this.#stream.resume();
  }

  reset(): void {
    if (this.#stream.destroyed) return;
    markLocalReset(this.#stream);
    this.#stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  }
}
