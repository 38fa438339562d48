// HTTP/2 to one host (and one SNI): streams share sessions; a new session opens when every session is full
// and max_connections allows (a host always gets one); otherwise streams wait for a free slot. A stream the
// server refused unprocessed (REFUSED_STREAM, above a GOAWAY's last stream id, or a session that went away
// as the request was handed to it — a peer draining for a config update) goes to another session.
import type { UpstreamAttempt, UpstreamHttpRequest } from '../cluster-view.ts';
import { AttemptError } from '../attempt-error.ts';
import type { TransportSocketConfig } from '../config/transport-config.ts';
import type { Host } from '../host/host.ts';
import type { DialRequest } from './dial.ts';
import type { ExchangeHooks } from './exchange-hooks.ts';
import { Http2Exchange } from './http2-exchange.ts';
import { Http2Session } from './http2-session.ts';
import type { PoolEnv } from './pool-env.ts';
import { http2Headers } from './request-headers.ts';

/** How often one request may be sent again after a refusal before the refusal is its answer. */
const MAX_REDISPATCH = 2;

export interface Http2PoolOptions {
  readonly host: Host;
  readonly socket: TransportSocketConfig;
  readonly sni: string | undefined;
}

export class Http2Pool {
  readonly #options: Http2PoolOptions;
  readonly #env: PoolEnv;
  readonly #where: string;
  readonly #scheme: 'http' | 'https';
  #sessions: Http2Session[] = [];
  #waiting: Http2Exchange[] = [];
  #closing = false;

  constructor(options: Http2PoolOptions, env: PoolEnv) {
    this.#options = options;
    this.#env = env;
    this.#where = `${env.cluster.name}/${options.host.id}`;
    this.#scheme = options.socket.kind === 'tls' ? 'https' : 'http';
  }

  send(request: UpstreamHttpRequest, hooks: ExchangeHooks): UpstreamAttempt {
    const exchange = new Http2Exchange(request, hooks, this.#where);
    const session = this.#sessionFor();
    if (session instanceof AttemptError) {
      exchange.fail('connect-failure', session.code, session.message, session);
    } else if (session) {
      this.#start(session, exchange);
    } else {
      this.#waiting.push(exchange);
    }
    return exchange;
  }

  #sessionFor(): Http2Session | AttemptError | undefined {
    for (const session of this.#sessions) if (session.available) return session;
    const breakers = this.#env.breakers;
    if (this.#sessions.length > 0 && !breakers.canOpenConnection()) return undefined;
    return this.#open();
  }

  #open(): Http2Session | AttemptError {
    const { host, socket, sni } = this.#options;
    const env = this.#env;
    const transport = env.transports.resolve(socket);
    if (transport instanceof AttemptError) return transport;
    const tls = socket.kind === 'tls' ? socket.tls : undefined;
    const alpn = tls ? (tls.alpn.includes('h2') ? tls.alpn : ['h2', ...tls.alpn]) : [];
    const dialRequest: DialRequest = {
      address: host.address,
      port: host.port,
      pipe: host.pipe,
      transport,
      servername: sni ?? (tls?.sni || undefined),
      verifyHost: sni !== undefined && env.cluster.http.autoSanValidation ? sni : undefined,
      alpn,
      connectTimeoutMs: env.cluster.connectTimeoutMs,
      keepalive: env.cluster.tcpKeepalive,
    };
    const session = new Http2Session(host, dialRequest, this.#scheme, env, {
      onCapacity: () => this.#drainQueue(),
      onClose: (closed, error) => this.#onClose(closed, error),
    });
    this.#sessions.push(session);
    return session;
  }

  #start(session: Http2Session, exchange: Http2Exchange): void {
    const request = exchange.request;
    const stream = session.request(http2Headers(request, this.#scheme), request.body === undefined);
    if (stream === 'closing' && this.#redispatch(exchange)) return;
    if (stream === 'closing') {
      exchange.fail('refused-stream', 'HEDDLE_UPSTREAM_REFUSED_STREAM', 'HTTP/2 session closing (GOAWAY)');
      return;
    }
    if (stream instanceof Error) {
      exchange.fail(
        'reset',
        'HEDDLE_UPSTREAM_INVALID_REQUEST',
        `request refused locally: ${stream.message}`,
        stream,
      );
      return;
    }
    exchange.start(
      stream,
      () => session.connected,
      () => this.#redispatch(exchange),
    );
  }

  /** Sends a refused, never processed request again, ahead of the queue (a draining session takes none). */
  #redispatch(exchange: Http2Exchange): boolean {
    if (this.#closing || exchange.done || !exchange.replayable || exchange.redispatched >= MAX_REDISPATCH)
      return false;
    exchange.redispatched++;
    this.#waiting.unshift(exchange);
    this.#drainQueue();
    return true;
  }

  #drainQueue(): void {
    while (this.#waiting.length > 0 && !this.#closing) {
      const next = this.#waiting[0] as Http2Exchange;
      if (next.done) {
        this.#waiting.shift();
        continue;
      }
      const session = this.#sessionFor();
      if (!session) return;
      this.#waiting.shift();
      if (session instanceof AttemptError)
        next.fail('connect-failure', session.code, session.message, session);
      else this.#start(session, next);
    }
  }

  #onClose(closed: Http2Session, error: AttemptError | undefined): void {
    this.#sessions = this.#sessions.filter((s) => s !== closed);
    if (error && this.#sessions.length === 0) {
      // The connection never came up: streams waiting for it would wait for another failure.
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const exchange of waiting) exchange.fail('connect-failure', error.code, error.message, error);
      return;
    }
    this.#drainQueue();
  }

  close(): void {
    this.#closing = true;
    for (const session of this.#sessions) session.drain();
  }

  destroy(): void {
    this.#closing = true;
    for (const exchange of this.#waiting) exchange.cancel('pool destroyed');
    this.#waiting = [];
    for (const session of this.#sessions) session.destroy();
  }
}
