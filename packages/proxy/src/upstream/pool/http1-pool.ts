// HTTP/1.1 to one host (and one SNI): undici Clients, one connection each, at most max_connections of them;
// a free connection is reused before another is opened, and requests beyond that wait here in order (Envoy's
// pending requests). Clients honour max_requests_per_connection and idle_timeout; max_connection_duration
// retires a connection when it next falls idle. Connections are opened by our dialer (connect_timeout, TLS
// per the transport socket, SAN checks) and counted in the cluster's stats.
import { Client, type Dispatcher } from 'undici';
import type { UpstreamAttempt, UpstreamHttpRequest } from '../cluster-view.ts';
import type { TransportSocketConfig } from '../config/transport-config.ts';
import type { Host } from '../host/host.ts';
import { AttemptError } from '../attempt-error.ts';
import { dial } from './dial.ts';
import type { ExchangeHooks } from './exchange-hooks.ts';
import { Http1Exchange } from './http1-exchange.ts';
import { connectionClosed, connectionFailed, connectionOpened, type PoolEnv } from './pool-env.ts';
import { http1Headers } from './request-headers.ts';

/** Timers above this overflow; Envoy's "0 = no timeout" maps here. */
const FOREVER_MS = 2_147_483_647;
/** undici compares each request's SNI with its connection's; a constant avoids needless reconnects. */
const FIXED_SNI = 'heddle.upstream';

export interface Http1PoolOptions {
  readonly host: Host;
  readonly socket: TransportSocketConfig;
  /** auto_sni: the SNI of this pool (from the request's authority). */
  readonly sni: string | undefined;
}

interface Connection {
  readonly client: Client;
  /** When its current socket connected; 0 while it has none. */
  connectedAt: number;
  /** Requests sent on its current socket. */
  served: number;
}

type Options = Dispatcher.DispatchOptions & { servername: string };

export class Http1Pool {
  readonly #env: PoolEnv;
  readonly #host: Host;
  readonly #where: string;
  readonly #origin: string;
  readonly #clientOptions: Client.Options;
  readonly #maxConnections: number;
  readonly #maxDurationMs: number;
  /** max_requests_per_connection; 0 for unlimited. */
  readonly #maxRequests: number;
  readonly #idle: Connection[] = [];
  readonly #connections = new Set<Connection>();
  readonly #waiting: { options: Options; exchange: Http1Exchange }[] = [];
  #closed = false;

  constructor(options: Http1PoolOptions, env: PoolEnv) {
    const { host, socket } = options;
    const { cluster } = env;
    const http = cluster.http;
    this.#env = env;
    this.#where = `${cluster.name}/${host.id}`;
    this.#maxConnections = Math.max(1, cluster.circuitBreakers.maxConnections);
    this.#maxDurationMs = http.maxConnectionDurationMs;
    const tls = socket.kind === 'tls' ? socket.tls : undefined;
    const sni = options.sni ?? (tls?.sni || undefined);
    const verifyHost = options.sni !== undefined && http.autoSanValidation ? options.sni : undefined;
    const alpn = (tls?.alpn ?? []).filter((p) => p !== 'h2');
    const scheme = socket.kind === 'tls' ? 'https' : 'http';
    this.#origin = host.pipe ? `${scheme}://localhost` : `${scheme}://${host.id}`;
    this.#maxRequests = http.maxRequestsPerConnection;
    this.#clientOptions = {
      pipelining: 1,
      keepAliveTimeout: http.idleTimeoutMs > 0 ? http.idleTimeoutMs : FOREVER_MS,
      keepAliveMaxTimeout: http.idleTimeoutMs > 0 ? http.idleTimeoutMs : FOREVER_MS,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: (_opts, callback) => {
        const transport = env.transports.resolve(socket);
        if (transport instanceof AttemptError) {
          connectionFailed(env, transport);
          callback(transport, null);
          return;
        }
        dial(
          {
            address: host.address,
            port: host.port,
            pipe: host.pipe,
            transport,
            servername: sni,
            verifyHost,
            alpn,
            connectTimeoutMs: cluster.connectTimeoutMs,
            keepalive: cluster.tcpKeepalive,
          },
          (err, connected) => {
            if (err) {
              connectionFailed(env, err);
              callback(err, null);
            } else {
              callback(null, connected);
            }
          },
        );
      },
    };
    this.#host = host;
  }

  send(request: UpstreamHttpRequest, hooks: ExchangeHooks): UpstreamAttempt {
    const exchange = new Http1Exchange(hooks, this.#where);
    const options: Options = {
      path: request.path,
      method: request.method,
      // undici takes multi-valued entries in the flat form too; its type only lists strings.
      headers: http1Headers(request) as string[],
      body: (request.body ?? null) as Buffer | null,
      servername: FIXED_SNI,
    };
    const connection = this.#take();
    if (connection) this.#dispatch(connection, options, exchange);
    else this.#waiting.push({ options, exchange });
    return exchange;
  }

  /** A free connection, or a new one while under max_connections. */
  #take(): Connection | undefined {
    while (this.#idle.length > 0) {
      const connection = this.#idle.pop() as Connection;
      if (!this.#expired(connection)) return connection;
      this.#retire(connection);
    }
    if (this.#connections.size >= this.#maxConnections) return undefined;
    return this.#create();
  }

  #create(): Connection {
    const env = this.#env;
    const host = this.#host;
    const connection: Connection = {
      client: new Client(this.#origin, this.#clientOptions),
      connectedAt: 0,
      served: 0,
    };
    connection.client.on('connect', () => {
      connection.connectedAt = Date.now();
      connectionOpened(env, host, 'http1');
    });
    connection.client.on('disconnect', () => {
      connection.connectedAt = 0;
      connectionClosed(env, host);
    });
    this.#connections.add(connection);
    return connection;
  }

  #dispatch(connection: Connection, options: Options, exchange: Http1Exchange): void {
    exchange.attach(() => this.#release(connection));
    if (this.#maxRequests > 0 && ++connection.served >= this.#maxRequests) {
      // The last request on this socket says `Connection: close`; the client reconnects for the next one.
      connection.served = 0;
      this.#env.stats.upstream_cx_max_requests.inc();
      connection.client.dispatch({ ...options, reset: true }, exchange);
      return;
    }
    connection.client.dispatch(options, exchange);
  }

  #release(connection: Connection): void {
    if (this.#closed || this.#expired(connection)) {
      this.#retire(connection);
      if (!this.#closed) this.#next();
      return;
    }
    const waiting = this.#nextWaiting();
    if (waiting) this.#dispatch(connection, waiting.options, waiting.exchange);
    else this.#idle.push(connection);
  }

  #next(): void {
    const connection = this.#waiting.length > 0 ? this.#take() : undefined;
    if (!connection) return;
    const waiting = this.#nextWaiting();
    if (waiting) this.#dispatch(connection, waiting.options, waiting.exchange);
    else this.#idle.push(connection);
  }

  #nextWaiting(): { options: Options; exchange: Http1Exchange } | undefined {
    let next = this.#waiting.shift();
    while (next && next.exchange.done) next = this.#waiting.shift();
    return next;
  }

  #expired(connection: Connection): boolean {
    return (
      this.#maxDurationMs > 0 &&
      connection.connectedAt > 0 &&
      Date.now() - connection.connectedAt >= this.#maxDurationMs
    );
  }

  #retire(connection: Connection): void {
    this.#connections.delete(connection);
    connection.client.close().catch(() => {});
  }

  close(): void {
    this.#closed = true;
    for (const connection of this.#idle.splice(0)) this.#retire(connection);
  }

  destroy(): void {
    this.#closed = true;
    for (const { exchange } of this.#waiting.splice(0)) exchange.cancel('pool destroyed');
    for (const connection of this.#connections) connection.client.destroy().catch(() => {});
    this.#connections.clear();
    this.#idle.length = 0;
  }
}
