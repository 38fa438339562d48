// Steady keep-alive load for drain tests: HTTP/1.1 clients (undici, one pooled connection each) and HTTP/2
// lanes (node:http2) that send requests back to back until stopped, recording every outcome. Clients behave
// like well-behaved pooled clients: after `Connection: close` or GOAWAY they reconnect, and a stream the server
// refused before processing it (GOAWAY's REFUSED_STREAM, or a request on a session already going away) is
// sent again; anything else that is not a response counts as a failure.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { Agent, request } from 'undici';

export interface LoadOutcome {
  readonly client: string;
  readonly path: string;
  readonly status?: number;
  readonly routeVersion?: string;
  /** The body of an answer other than 200 (Envoy's local replies name the reset reason). */
  readonly body?: string;
  readonly error?: string;
}

export interface LoadOptions {
  readonly url: string;
  readonly http1Clients: number;
  readonly http2Lanes: number;
  /** Path prefixes: HTTP/1.1 requests go to `${http1Prefix}/…`, HTTP/2 ones to `${http2Prefix}/…`. */
  readonly http1Prefix: string;
  readonly http2Prefix: string;
}

export class KeepAliveLoad {
  readonly outcomes: LoadOutcome[] = [];
  readonly #options: LoadOptions;
  readonly #loops: Promise<void>[] = [];
  readonly #agents: Agent[] = [];
  #session: ClientHttp2Session | undefined;
  #stopped = false;
  /** HTTP/2 sessions opened (more than one: the server sent GOAWAY and the lanes moved on). */
  sessionsOpened = 0;

  constructor(options: LoadOptions) {
    this.#options = options;
  }

  get failures(): LoadOutcome[] {
    return this.outcomes.filter((outcome) => outcome.error !== undefined || outcome.status !== 200);
  }

  start(): void {
    for (let c = 0; c < this.#options.http1Clients; c++) this.#loops.push(this.#http1Loop(`h1-${c}`));
    for (let lane = 0; lane < this.#options.http2Lanes; lane++)
      this.#loops.push(this.#http2Lane(`h2-${lane}`));
  }

  /** Resolves once `count` more requests have completed (whatever their outcome). */
  async completeMore(count: number, timeoutMs = 10_000): Promise<void> {
    const target = this.outcomes.length + count;
    const deadline = Date.now() + timeoutMs;
    while (this.outcomes.length < target) {
      if (Date.now() > deadline)
        throw new Error(`load stalled at ${this.outcomes.length} of ${target} requests`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
    await Promise.all(this.#agents.map((agent) => agent.close().catch(() => {})));
    this.#session?.close();
  }

  async #http1Loop(client: string): Promise<void> {
    const agent = new Agent({ connections: 1, pipelining: 1 });
    this.#agents.push(agent);
    for (let i = 0; !this.#stopped; i++) {
      const path = `${this.#options.http1Prefix}/${client}/${i}`;
      try {
        const res = await request(`${this.#options.url}${path}`, {
          dispatcher: agent,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        const body = await res.body.text();
        this.outcomes.push({
          client,
          path,
          status: res.statusCode,
          ...routeVersion(res.headers['x-route-version']),
          ...(res.statusCode !== 200 ? { body } : {}),
        });
      } catch (error) {
        this.outcomes.push({ client, path, error: describeError(error) });
      }
    }
  }

  async #http2Lane(client: string): Promise<void> {
    for (let i = 0; !this.#stopped;) {
      const path = `${this.#options.http2Prefix}/${client}/${i}`;
      const result = await this.#http2Request(path);
      if (result === 'refused') continue;
      this.outcomes.push({ client, path, ...result });
      i++;
    }
  }

  #openSession(): ClientHttp2Session {
    const current = this.#session;
    if (current && !current.closed && !current.destroyed && !goingAway.has(current)) return current;
    const session = connect(this.#options.url);
    this.sessionsOpened++;
    session.on('error', () => {});
    session.once('goaway', () => goingAway.add(session));
    this.#session = session;
    return session;
  }

  #http2Request(path: string): Promise<Omit<LoadOutcome, 'client' | 'path'> | 'refused'> {
    return new Promise((resolve) => {
      let stream;
      try {
        stream = this.#openSession().request({ ':path': path });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_HTTP2_GOAWAY_SESSION' || code === 'ERR_HTTP2_INVALID_SESSION')
          return resolve('refused');
        return resolve({ error: describeError(error) });
      }
      let status = 0;
      let version: string | undefined;
      let body = '';
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
        version = routeVersion(headers['x-route-version']).routeVersion;
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (body += chunk));
      stream.on('end', () =>
        resolve({
          status,
          ...(version !== undefined ? { routeVersion: version } : {}),
          ...(status !== 200 ? { body } : {}),
        }),
      );
      stream.on('error', (error) => {
        if (stream.rstCode === constants.NGHTTP2_REFUSED_STREAM) resolve('refused');
        else resolve({ error: `${describeError(error)} rst=${stream.rstCode}` });
      });
      // A stream reset without an error event (or closed before its end) is settled here; later calls no-op.
      stream.on('close', () => {
        if (stream.rstCode === constants.NGHTTP2_REFUSED_STREAM) resolve('refused');
        else resolve({ error: `stream closed early rst=${stream.rstCode}` });
      });
    });
  }
}

const goingAway = new WeakSet<ClientHttp2Session>();

/** Every hop's `x-route-version`, in order (`v2,gw-v2`). */
function routeVersion(header: string | string[] | undefined): { routeVersion?: string } {
  if (header === undefined) return {};
  return { routeVersion: typeof header === 'string' ? header : header.join(',') };
}

function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e.code ?? 'error'}: ${e.message ?? String(error)}`;
}
