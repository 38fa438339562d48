// Rapid-reset accounting per HTTP/2 connection, as Envoy's premature-reset check: once a connection has
// closed at least 500 streams and half or more of them were reset by the client within a second of opening,
// the connection is closed. Node's own reset-rate limit only catches bursts; this catches the slow pattern.
import { constants, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { HttpClock } from '../clock.ts';

export const PREMATURE_RESET_MIN_STREAMS = 500;
export const PREMATURE_RESET_LIFETIME_MS = 1000;

/** Streams the proxy itself reset (timeouts, invalid headers, upstream failures) are not the client's. */
const LOCAL_RESETS = new WeakSet<ServerHttp2Stream>();

export function markLocalReset(stream: ServerHttp2Stream): void {
  LOCAL_RESETS.add(stream);
}

export class PrematureResetTracker {
  readonly #session: ServerHttp2Session;
  readonly #clock: HttpClock;
  readonly #onTooMany: () => void;
  #closed = 0;
  #premature = 0;

  constructor(session: ServerHttp2Session, clock: HttpClock, onTooMany: () => void) {
    this.#session = session;
    this.#clock = clock;
    this.#onTooMany = onTooMany;
  }

  track(stream: ServerHttp2Stream): void {
    const opened = this.#clock.monotonic();
    stream.once('close', () => {
      this.#closed++;
      const reset = stream.rstCode !== constants.NGHTTP2_NO_ERROR && !LOCAL_RESETS.has(stream);
      if (reset && this.#clock.monotonic() - opened < PREMATURE_RESET_LIFETIME_MS) this.#premature++;
      if (this.#closed >= PREMATURE_RESET_MIN_STREAMS && this.#premature * 2 >= this.#closed) this.#close();
    });
  }

  #close(): void {
    const session = this.#session;
    if (session.destroyed) return;
    this.#onTooMany();
    session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    session.destroy();
  }
}
