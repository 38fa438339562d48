// An HTTP/1.1 Upgrade request (WebSocket): until the router takes the socket over for a tunnel, local
// replies are written to it as raw HTTP/1.1 responses.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpgradeTunnel } from '../../filters/http/http-filter.ts';
import type { HeaderMap } from '../headers.ts';
import { outgoingHeaders, type DownstreamEvents, type DownstreamStream } from './downstream-stream.ts';

export class UpgradeStream implements DownstreamStream {
  readonly protocol = 'http1' as const;
  readonly requestEnded = true;
  readonly upgrade: UpgradeTunnel;
  readonly #socket: Duplex;
  #events: DownstreamEvents | undefined;
  #taken = false;
  #closed = false;

  constructor(socket: Duplex, head: Uint8Array, type: string) {
    this.#socket = socket;
    this.upgrade = {
      type,
      take: () => {
        this.#taken = true;
        return { socket, head };
      },
    };
  }

  start(events: DownstreamEvents): void {
    this.#events = events;
    this.#socket.once('close', () => this.#close(this.#taken));
    this.#socket.on('error', () => this.#close(false));
  }

  sendHeaders(headers: HeaderMap, endStream: boolean): void {
    if (this.#taken) return;
    const status = Number(headers[':status']);
    const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
    const out = outgoingHeaders(headers);
    out['connection'] = 'close';
    for (const [name, value] of Object.entries(out)) {
      for (const v of typeof value === 'string' ? [value] : value) lines.push(`${name}: ${v}`);
    }
    this.#socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (endStream) this.#socket.end();
  }

  sendData(chunk: Uint8Array, endStream: boolean): boolean {
    if (this.#taken) return true;
    if (endStream) this.#socket.end(chunk);
    else this.#socket.write(chunk);
    return true;
  }

  sendTrailers(): void {
    if (!this.#taken) this.#socket.end();
  }

  onDrain(callback: () => void): void {
    this.#socket.once('drain', callback);
  }

  setReadDisabled(): void {}

  reset(): void {
    this.#socket.destroy();
  }

  #close(complete: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events?.onClose(complete);
  }
}
