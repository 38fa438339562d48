// One HTTP/2 connection to a host: opened through our dialer, counted in cluster stats, taking streams up to
// min(max_concurrent_streams, the peer's SETTINGS), retired on GOAWAY, max_requests_per_connection or
// max_connection_duration (existing streams finish), closed when idle past idle_timeout.
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Host } from '../host/host.ts';
import type { AttemptError } from '../attempt-error.ts';
import { dial, type DialRequest } from './dial.ts';
import { connectionClosed, connectionFailed, connectionOpened, type PoolEnv } from './pool-env.ts';

/** Node assumes this many concurrent streams until the peer's SETTINGS arrive. */
const ASSUMED_PEER_STREAMS = 100;

export interface SessionEvents {
  /** A stream slot freed up, or the session can no longer take streams. */
  onCapacity(session: Http2Session): void;
  onClose(session: Http2Session, error: AttemptError | undefined): void;
}

export class Http2Session {
  readonly #session: ClientHttp2Session;
  readonly #socket: Socket;
  readonly #env: PoolEnv;
  readonly #events: SessionEvents;
  readonly #maxStreams: number;
  readonly #maxRequests: number;
  #connected = false;
  #draining = false;
  #closed = false;
  #failure: AttemptError | undefined;
  #durationTimer: NodeJS.Timeout | undefined;
  active = 0;
  started = 0;

  constructor(
    host: Host,
    dialRequest: DialRequest,
    scheme: 'http' | 'https',
    env: PoolEnv,
    events: SessionEvents,
  ) {
    this.#env = env;
    this.#events = events;
    const http = env.cluster.http;
    this.#maxStreams = http.maxConcurrentStreams;
    this.#maxRequests = http.maxRequestsPerConnection;
    const socket = dial(dialRequest, (err) => {
      if (err) {
        this.#failure = err;
        connectionFailed(env, err);
        this.#session.destroy();
        return;
      }
    });
    this.#socket = socket;
    this.#session = connect(`${scheme}://${host.pipe ? 'localhost' : host.id}`, {
      createConnection: () => socket,
      settings: {
        enablePush: false,
        ...(http.initialStreamWindowSize !== undefined
          ? { initialWindowSize: http.initialStreamWindowSize }
          : {}),
      },
    });
    const session = this.#session;
    session.on('error', () => {});
    session.once('connect', () => {
      this.#connected = true;
      connectionOpened(env, host, 'http2');
      if (http.initialConnectionWindowSize !== undefined)
        session.setLocalWindowSize(http.initialConnectionWindowSize);
      if (http.maxConnectionDurationMs > 0) {
        this.#durationTimer = setTimeout(() => this.drain(), http.maxConnectionDurationMs);
        this.#durationTimer.unref();
      }
    });
    session.on('remoteSettings', () => events.onCapacity(this));
    session.on('goaway', () => this.drain());
    session.once('close', () => {
      this.#closed = true;
      this.#draining = true;
      clearTimeout(this.#durationTimer);
      if (this.#connected) connectionClosed(env, host);
      events.onClose(this, this.#failure);
    });
    if (http.idleTimeoutMs > 0) {
      session.setTimeout(http.idleTimeoutMs, () => {
        if (this.active === 0) this.#shutdown();
      });
    }
  }

  get connected(): boolean {
    return this.#connected;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a new stream may start here now. */
  get available(): boolean {
    if (this.#draining || this.#closed) return false;
    const peer = this.#connected
      ? (this.#session.remoteSettings.maxConcurrentStreams ?? ASSUMED_PEER_STREAMS)
      : ASSUMED_PEER_STREAMS;
    return this.active < Math.min(this.#maxStreams, peer);
  }

  /** Opens a stream; 'closing' when the session went away under us, an Error when node refused the headers. */
  request(
    headers: Record<string, string | string[]>,
    endStream: boolean,
  ): ClientHttp2Stream | 'closing' | Error {
    let stream: ClientHttp2Stream;
    try {
      stream = this.#session.request(headers, { endStream });
    } catch (err) {
      if (!this.#session.closed && !this.#session.destroyed) return err as Error;
      this.drain();
      return 'closing';
    }
    this.active++;
    this.started++;
    if (this.#maxRequests > 0 && this.started >= this.#maxRequests) {
      this.#env.stats.upstream_cx_max_requests.inc();
      this.#draining = true;
    }
    stream.once('close', () => {
      this.active--;
      if (this.#draining && this.active === 0) this.#shutdown();
      this.#events.onCapacity(this);
    });
    return stream;
  }

  /** No new streams; closes once the current ones finish. */
  drain(): void {
    if (this.#draining && this.active > 0) return;
    this.#draining = true;
    if (this.active === 0) this.#shutdown();
    this.#events.onCapacity(this);
  }

  /**
   * Closes an idle session for good. After a GOAWAY node leaves the session closed but not destroyed, and a
   * destroyed session still waits for the peer to close the socket; nothing is in flight, so end it here.
   */
  #shutdown(): void {
    if (this.#closed) return;
    this.#session.close();
    if (!this.#session.destroyed) this.#session.destroy();
    this.#socket.destroy();
  }

  destroy(): void {
    this.#session.destroy(undefined, constants.NGHTTP2_CANCEL);
  }
}
