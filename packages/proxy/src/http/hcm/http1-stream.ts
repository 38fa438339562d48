// An HTTP/1.1 exchange over Node's IncomingMessage/ServerResponse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap } from '../headers.ts';
import {
  outgoingHeaderList,
  outgoingHeaders,
  type DownstreamEvents,
  type DownstreamStream,
} from './downstream-stream.ts';

const ignoreError = (): void => {};

/** Connections whose current response is their last; the HTTP/1.1 codec answers nothing more on them. */
export const CLOSING_SOCKETS = new WeakSet<object>();

export class Http1Stream implements DownstreamStream {
  readonly protocol = 'http1' as const;
  readonly requestEnded: boolean;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #draining: () => boolean;
  #close = false;

  constructor(req: IncomingMessage, res: ServerResponse, draining: () => boolean) {
    this.#req = req;
    this.#res = res;
    this.#draining = draining;
    // Writes racing a client disconnect fail on the response; the close event reports it.
    res.on('error', ignoreError);
    // Node has parsed framing: a body exists only with Content-Length > 0 or chunked encoding.
    const length = req.headers['content-length'];
    this.requestEnded =
      req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
  }

  start(events: DownstreamEvents): void {
    const req = this.#req;
    if (!this.requestEnded) {
      req.on('data', (chunk: Buffer) => events.onData(chunk, false));
      req.on('end', () => events.onData(new Uint8Array(0), true));
    } else {
      req.resume();
    }
    this.#res.once('close', () => events.onClose(this.#res.writableFinished));
  }

  sendHeaders(headers: HeaderMap, endStream: boolean): void {
    const res = this.#res;
    if (this.#close || this.#draining()) res.shouldKeepAlive = false;
    // The flat list form goes straight to the head Node writes, without an intermediate header object.
    res.writeHead(Number(headers[':status']), outgoingHeaderList(headers) as string[]);
    if (endStream) res.end();
  }

  sendData(chunk: Uint8Array, endStream: boolean): boolean {
    if (endStream) {
      if (chunk.length === 0) this.#res.end();
      else this.#res.end(chunk);
      return true;
    }
    return chunk.length === 0 || this.#res.write(chunk);
  }

  sendTrailers(trailers: HeaderMap): void {
    // Trailers only travel with chunked encoding; with a Content-Length they are dropped.
    if (!this.#res.hasHeader('content-length')) this.#res.addTrailers(outgoingHeaders(trailers));
    this.#res.end();
  }

  onDrain(callback: () => void): void {
    this.#res.once('drain', callback);
  }

  setReadDisabled(disabled: boolean): void {
    if (disabled) this.#req.pause();
    else this.#req.resume();
  }

  closeAfterResponse(): void {
    this.#close = true;
    // Bytes the parser still finds after a refused request are not answered again: the connection ends.
    CLOSING_SOCKETS.add(this.#req.socket);
  }

  reset(): void {
    this.#res.destroy();
    this.#req.socket.destroy();
  }
}
