// A small ClusterManagerView for HTTP tests: named clusters of loopback hosts, round-robin selection that
// honours `exclude`, counting circuit breakers, and real requests through undici (HTTP/1.1) or node:http2.
import { connect as h2connect, constants, type ClientHttp2Session } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import { Pool } from 'undici';
import type {
  AttemptOutcome,
  ClusterManagerView,
  ClusterView,
  LoadBalancerContext,
  ResourceGuard,
  UpstreamAttempt,
  UpstreamHost,
  UpstreamHttpRequest,
  UpstreamResponse,
} from '../../../src/upstream/cluster-view.ts';

export interface TestClusterOptions {
  readonly ports: readonly number[];
  readonly protocol?: 'http1' | 'http2';
  /** Concurrent requests allowed (circuit breaker); unlimited by default. */
  readonly maxRequests?: number;
  /** Concurrent retries allowed (retry budget); unlimited by default. */
  readonly maxRetries?: number;
  /** Fails attempt n (0-based) before it is sent, as the cluster manager would report it. */
  readonly failAttempt?: (
    attempt: number,
    host: UpstreamHost,
  ) => 'connect-failure' | 'reset' | 'refused-stream' | undefined;
}

export class TestCluster implements ClusterView {
  readonly name: string;
  readonly hosts: UpstreamHost[];
  readonly outcomes: { host: string; outcome: AttemptOutcome }[] = [];
  readonly selections: LoadBalancerContext[] = [];
  readonly sent: UpstreamHttpRequest[] = [];
  readonly #options: TestClusterOptions;
  #next = 0;
  #active = 0;
  #retries = 0;
  readonly #pools = new Map<string, Pool>();
  readonly #sessions = new Map<string, ClientHttp2Session>();

  constructor(name: string, options: TestClusterOptions) {
    this.name = name;
    this.#options = options;
    this.hosts = options.ports.map((port) => ({
      id: `127.0.0.1:${port}`,
      address: '127.0.0.1',
      port,
      metadata: {},
    }));
  }

  selectHost(context: LoadBalancerContext): UpstreamHost | undefined {
    this.selections.push(context);
    const candidates = this.hosts.filter((h) => !context.exclude?.has(h.id));
    const pool = candidates.length > 0 ? candidates : this.hosts;
    if (pool.length === 0) return undefined;
    return pool[this.#next++ % pool.length];
  }

  admitRequest(): ResourceGuard | undefined {
    if (this.#options.maxRequests !== undefined && this.#active >= this.#options.maxRequests)
      return undefined;
    this.#active++;
    return this.#guard(() => this.#active--);
  }

  admitRetry(): ResourceGuard | undefined {
    if (this.#options.maxRetries !== undefined && this.#retries >= this.#options.maxRetries) return undefined;
    this.#retries++;
    return this.#guard(() => this.#retries--);
  }

  get activeRequests(): number {
    return this.#active;
  }

  sendHttp(host: UpstreamHost, request: UpstreamHttpRequest): UpstreamAttempt {
    const failure = this.#options.failAttempt?.(this.sent.length, host);
    this.sent.push(request);
    if (failure) {
      const error = Object.assign(new Error(failure), { outcome: { kind: failure } });
      return { response: Promise.reject(error), cancel: () => {} };
    }
    return this.#options.protocol === 'http2' ? this.#sendH2(host, request) : this.#sendH1(host, request);
  }

  connect(host: UpstreamHost): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = netConnect(host.port, host.address);
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  recordOutcome(host: UpstreamHost, outcome: AttemptOutcome): void {
    this.outcomes.push({ host: host.id, outcome });
  }

  async close(): Promise<void> {
    for (const session of this.#sessions.values()) session.destroy();
    await Promise.all([...this.#pools.values()].map((p) => p.destroy()));
  }

  #guard(release: () => void): ResourceGuard {
    let released = false;
    return {
      release: () => {
        if (!released) {
          released = true;
          release();
        }
      },
    };
  }

  #sendH1(host: UpstreamHost, request: UpstreamHttpRequest): UpstreamAttempt {
    let pool = this.#pools.get(host.id);
    if (!pool) {
      pool = new Pool(`http://${host.id}`, { connections: 16 });
      this.#pools.set(host.id, pool);
    }
    const controller = new AbortController();
    const headers: string[] = ['host', request.authority];
    for (const [name, value] of Object.entries(request.headers)) {
      for (const v of typeof value === 'string' ? [value] : value) headers.push(name, v);
    }
    const response = pool
      .request({
        method: request.method,
        path: request.path,
        headers,
        body:
          request.body === undefined || request.body instanceof Uint8Array
            ? request.body
            : Readable.from(request.body),
        signal: controller.signal,
      })
      .then((res): UpstreamResponse => ({
        status: res.statusCode,
        headers: res.headers as Record<string, string | string[]>,
        body: res.body,
      }));
    return { response, cancel: (reason) => controller.abort(new Error(reason)) };
  }

  #sendH2(host: UpstreamHost, request: UpstreamHttpRequest): UpstreamAttempt {
    let session = this.#sessions.get(host.id);
    if (!session || session.destroyed || session.closed) {
      session = h2connect(`http://${host.id}`);
      session.on('error', () => {});
      this.#sessions.set(host.id, session);
    }
    const out: Record<string, string | string[]> = {
      ':method': request.method,
      ':path': request.path,
      ':authority': request.authority,
      ':scheme': 'http',
    };
    for (const [name, value] of Object.entries(request.headers))
      out[name] = typeof value === 'string' ? value : [...value];
    const stream = session.request(out, { endStream: request.body === undefined });
    stream.on('error', () => {});
    if (request.body !== undefined) {
      const body = request.body;
      void (async () => {
        if (body instanceof Uint8Array) stream.end(body);
        else {
          for await (const chunk of body) stream.write(chunk);
          stream.end();
        }
      })().catch(() => stream.close(constants.NGHTTP2_CANCEL));
    }
    const trailers = new Promise<Record<string, string>>((resolve) => {
      stream.once('trailers', (t: Record<string, string>) => resolve(t));
      stream.once('close', () => resolve({}));
    });
    const response = new Promise<UpstreamResponse>((resolve, reject) => {
      stream.once('response', (headers) => {
        const clean: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(headers)) {
          if (!k.startsWith(':') && v !== undefined) clean[k] = typeof v === 'number' ? String(v) : v;
        }
        resolve({ status: Number(headers[':status']), headers: clean, body: stream, trailers });
      });
      stream.once('close', () => reject(new Error(`stream closed with code ${stream.rstCode}`)));
    });
    return { response, cancel: () => stream.close(constants.NGHTTP2_CANCEL) };
  }
}

export class TestClusters implements ClusterManagerView {
  readonly #clusters = new Map<string, TestCluster>();

  add(name: string, options: TestClusterOptions): TestCluster {
    const cluster = new TestCluster(name, options);
    this.#clusters.set(name, cluster);
    return cluster;
  }

  cluster(name: string): TestCluster | undefined {
    return this.#clusters.get(name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clusters.values()].map((c) => c.close()));
  }
}
