// A relay around a client connection that shows every byte read to an H2HeaderAudit before the HTTP/2 codec
// gets it. node:http2 reads a non-native stream through its JS stream wrapper, which only needs events,
// pause/resume, cork/write/end and destroy: this relay forwards each straight to the socket, without a
// stream.Duplex of its own in between (no second buffer, no per-write callbacks of a Writable, and corked
// writes reach the socket as one writev).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { H2HeaderAudit } from './h2-header-audit.ts';

class AuditedRelay extends EventEmitter {
  readonly readable = true;
  readonly writable = true;
  readonly readableObjectMode = false;
  readonly #socket: Duplex;

  constructor(socket: Duplex, audit: H2HeaderAudit) {
    super();
    this.#socket = socket;
    // Paused until the codec starts reading, so that no byte arrives before it listens.
    socket.pause();
    socket.on('data', (chunk: Buffer) => {
      audit.push(chunk);
      this.emit('data', chunk);
    });
    socket.on('end', () => this.emit('end'));
    socket.on('error', (error) => this.emit('error', error));
    socket.on('close', () => this.emit('close'));
  }

  pause(): this {
    this.#socket.pause();
    return this;
  }

  resume(): this {
    this.#socket.resume();
    return this;
  }

  cork(): void {
    this.#socket.cork();
  }

  uncork(): void {
    this.#socket.uncork();
  }

  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean {
    return this.#socket.write(chunk, callback);
  }

  end(callback?: () => void): this {
    this.#socket.end(callback);
    return this;
  }

  destroy(error?: Error): this {
    this.#socket.destroy(error);
    return this;
  }
}

export function auditedSocket(socket: Duplex): { readonly stream: Duplex; readonly audit: H2HeaderAudit } {
  const audit = new H2HeaderAudit();
  // node:http2 wraps whatever is not a native socket; the relay has every member that wrapper uses.
  const stream = new AuditedRelay(socket, audit) as unknown as Duplex;
  return { stream, audit };
}
