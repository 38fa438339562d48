// The small HTTP server every shop service is built on: JSON answers, /healthz, a configurable latency and
// error rate, and calls to other services through the sidecar with the tracing headers passed on, so the
// mesh can join each hop into one trace. node:http only: no dependencies.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Headers a service copies from the request it serves to the requests it makes: Istio's tracing headers (the
 * proxies create spans, but only the app knows which outgoing call belongs to which incoming one) and
 * `end-user`, which the product VirtualService matches for its fault injection.
 */
export const PROPAGATED_HEADERS = [
  'x-request-id',
  'traceparent',
  'tracestate',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-ot-span-context',
  'end-user',
] as const;

export interface Incoming {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** Path parameters captured by the route's pattern. */
  readonly params: readonly string[];
}

export interface Reply {
  readonly status?: number;
  readonly body: unknown;
}

export interface Answer {
  /** 0 when the call failed before any answer (refused, reset, timed out). */
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Calls another service of the shop by its mesh name, through the sidecar (HTTP_PROXY). */
export type Call = (
  service: string,
  path: string,
  options?: { method?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<Answer>;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (incoming: Incoming, call: Call) => Promise<Reply>;
}

export interface Settings {
  readonly name: string;
  readonly version: string;
  readonly namespace: string;
  readonly port: number;
  /** Added to every answer except /healthz. */
  readonly latencyMs: number;
  /** The share of requests answered 503 on purpose, 0..1. */
  readonly errorRate: number;
}

const CALL_TIMEOUT_MS = 8_000;

export function settingsFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    name,
    version: env.SERVICE_VERSION ?? 'v1',
    namespace: env.HEDDLE_NAMESPACE ?? 'ecommerce',
    port: Number(env.PORT ?? 8080),
    latencyMs: Math.max(0, Number(env.LATENCY_MS ?? 0) || 0),
    errorRate: Math.min(1, Math.max(0, Number(env.ERROR_RATE ?? 0) || 0)),
  };
}

/** Starts the service on 127.0.0.1:$PORT (behind its sidecar) and stops it cleanly on SIGTERM or SIGINT. */
export function startService(settings: Settings, routes: readonly Route[]): void {
  const server = createServer((req, res) => {
    void handle(settings, routes, req).then(({ status, body }) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  server.listen(settings.port, '127.0.0.1', () =>
    process.stdout.write(`${settings.name} ${settings.version} listening on 127.0.0.1:${settings.port}\n`),
  );
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function handle(
  settings: Settings,
  routes: readonly Route[],
  req: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(req.url ?? '/', 'http://service');
  if (url.pathname === '/healthz') return { status: 200, body: { status: 'ok', service: settings.name } };
  const method = req.method ?? 'GET';
  const text = await readBody(req);
  const route = routes.find(
    (candidate) => candidate.method === method && candidate.pattern.test(url.pathname),
  );
  if (settings.latencyMs > 0) await sleep(settings.latencyMs);
  if (!route) return { status: 404, body: { error: `no route for ${method} ${url.pathname}` } };
  if (Math.random() < settings.errorRate) {
    return { status: 503, body: { error: 'injected failure (ERROR_RATE)', service: settings.name } };
  }
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    return { status: 400, body: { error: 'the body is not JSON' } };
  }
  const incoming: Incoming = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    params: route.pattern.exec(url.pathname)?.slice(1) ?? [],
  };
  try {
    const reply = await route.handle(incoming, caller(settings, req.headers));
    return { status: reply.status ?? 200, body: reply.body };
  } catch (error) {
    return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', () => resolve(text));
  });
}

/**
 * Outgoing calls carry the propagated headers of the request being served. They go to
 * `http://<service>.<namespace>.svc.cluster.local`, and Node's http module sends them to the sidecar because
 * `heddle run` sets HTTP_PROXY and NODE_USE_ENV_PROXY=1.
 */
function caller(settings: Settings, incoming: IncomingHttpHeaders): Call {
  const passed: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') passed[name] = value;
  }
  return (service, path, options = {}) => {
    const url = `http://${service}.${settings.namespace}.svc.cluster.local${path}`;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      ...passed,
      ...(options.headers ?? {}),
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    };
    return new Promise<Answer>((resolve) => {
      const outgoing = request(
        url,
        { method: options.method ?? 'GET', headers, timeout: CALL_TIMEOUT_MS },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseObject(text) }));
          res.on('error', () => resolve({ status: 0, body: {} }));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', (error) => resolve({ status: 0, body: { error: error.message } }));
      outgoing.end(payload);
    });
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}
