// A minimal HTTP/2 client over a raw socket for abuse tests: writes any frame (including malformed ones that
// node:http2 refuses to send), encodes header blocks as HPACK literals without indexing or Huffman, and
// parses the frames the server sends back.
import { connect, type Socket } from 'node:net';

export const FRAME = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4 } as const;

/** RFC 9113 error codes used in assertions. */
export const H2_ERROR = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

export function frame(type: number, flags: number, streamId: number, payload: Uint8Array = Buffer.alloc(0)) {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK integer with an N-bit prefix (RFC 7541 §5.1). */
function hpackInt(value: number, prefixBits: number, firstByte: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [firstByte | value];
  const out = [firstByte | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** A header block of literal fields without indexing, names and values sent as given (any bytes). */
export function headerBlock(fields: readonly (readonly [string, string])[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const n = Buffer.from(name, 'latin1');
    const v = Buffer.from(value, 'latin1');
    parts.push(Buffer.from([0x00, ...hpackInt(n.length, 7, 0)]), n, Buffer.from(hpackInt(v.length, 7, 0)), v);
  }
  return Buffer.concat(parts);
}

export function requestFields(
  path: string,
  extra: readonly (readonly [string, string])[] = [],
  method = 'GET',
): (readonly [string, string])[] {
  return [[':method', method], [':scheme', 'http'], [':authority', 'app.local'], [':path', path], ...extra];
}

/** A raw HTTP/2 connection: the preface and an empty SETTINGS are sent on open; frames received are kept. */
export class RawH2 {
  readonly frames: Frame[] = [];
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #closed = false;
  readonly closed: Promise<void>;
  #waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#closed = true;
        resolve();
      }),
    );
  }

  static async open(port: number): Promise<RawH2> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const conn = new RawH2(socket);
    socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
    // The server's SETTINGS, acknowledged, so its limits are in force before the test starts.
    await conn.waitFor((f) => f.type === FRAME.SETTINGS && (f.flags & FLAG.ACK) === 0, 5000);
    conn.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
    return conn;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** False once the socket can no longer be written. */
  write(data: Uint8Array): boolean {
    if (this.#closed || this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(data);
    return true;
  }

  headers(streamId: number, fields: readonly (readonly [string, string])[], endStream = true): boolean {
    const flags = FLAG.END_HEADERS | (endStream ? FLAG.END_STREAM : 0);
    return this.write(frame(FRAME.HEADERS, flags, streamId, headerBlock(fields)));
  }

  rst(streamId: number, code: number = H2_ERROR.CANCEL): boolean {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(code);
    return this.write(frame(FRAME.RST_STREAM, 0, streamId, payload));
  }

  /** Resolves with the first frame (already received or to come) that passes `test`; rejects after `ms`. */
  waitFor(test: (f: Frame) => boolean, ms = 5000): Promise<Frame> {
    const found = this.frames.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such frame arrived')), ms);
      this.#waiters.push({
        test,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** The stream's fate: the status-bearing HEADERS frame or the RST_STREAM error code. */
  async outcome(streamId: number, ms = 5000): Promise<{ kind: 'headers' } | { kind: 'rst'; code: number }> {
    const f = await this.waitFor(
      (x) => x.streamId === streamId && (x.type === FRAME.HEADERS || x.type === FRAME.RST_STREAM),
      ms,
    );
    return f.type === FRAME.HEADERS ? { kind: 'headers' } : { kind: 'rst', code: f.payload.readUInt32BE(0) };
  }

  goAwayCode(): number | undefined {
    const f = this.frames.find((x) => x.type === FRAME.GOAWAY);
    return f ? f.payload.readUInt32BE(4) : undefined;
  }

  /** Resolves when the server closed the connection or sent GOAWAY; rejects after `ms`. */
  async endedByServer(ms = 5000): Promise<void> {
    const goaway = this.waitFor((f) => f.type === FRAME.GOAWAY, ms);
    goaway.catch(() => {});
    await Promise.race([this.closed, goaway]);
  }

  close(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 9) {
      const length = this.#buffer.readUIntBE(0, 3);
      if (this.#buffer.length < 9 + length) return;
      const f: Frame = {
        type: this.#buffer[3] as number,
        flags: this.#buffer[4] as number,
        streamId: this.#buffer.readUInt32BE(5) & 0x7fffffff,
        payload: this.#buffer.subarray(9, 9 + length),
      };
      this.#buffer = this.#buffer.subarray(9 + length);
      this.frames.push(f);
      for (const waiter of [...this.#waiters]) {
        if (waiter.test(f)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(f);
        }
      }
    }
  }
}
