// Real upstream HTTP servers for the mesh e2e tests: each answers with its identity and can be told to fail,
// to fail every other request, or to answer slowly; `kill()` drops it (and its open connections) at once.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Identity {
  readonly service: string;
  readonly version: string;
  readonly path: string;
  readonly host: string;
  /** The request headers the upstream saw (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
}

export type UpstreamMode = 'ok' | 'fail' | 'flaky';

export interface Upstream {
  readonly service: string;
  readonly version: string;
  readonly port: number;
  /** `ok` answers 200; `fail` answers 503; `flaky` answers 503 to every other request (the 1st, 3rd, …). */
  mode: UpstreamMode;
  /** Added to every answer; a request's `x-sleep-ms` header adds its own. */
  delayMs: number;
  /** Requests seen, and how many were answered with 503. */
  readonly counts: { requests: number; failed: number };
  /** Stops listening and destroys open connections: the upstream is gone. */
  kill(): Promise<void>;
}

export async function startUpstream(service: string, version: string): Promise<Upstream> {
  const counts = { requests: 0, failed: 0 };
  let server: Server | undefined;
  const upstream: Upstream = {
    service,
    version,
    port: 0,
    mode: 'ok',
    delayMs: 0,
    counts,
    kill: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
      await closed;
    },
  };
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    counts.requests += 1;
    const fail = upstream.mode === 'fail' || (upstream.mode === 'flaky' && counts.requests % 2 === 1);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
    const identity: Identity = {
      service,
      version,
      path: req.url ?? '',
      host: req.headers.host ?? '',
      headers,
    };
    const send = () => {
      if (fail) counts.failed += 1;
      const body = JSON.stringify(identity);
      res.writeHead(fail ? 503 : 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-upstream': `${service}-${version}`,
      });
      res.end(body);
    };
    const delay = upstream.delayMs + (Number(req.headers['x-sleep-ms']) || 0);
    req.resume();
    req.on('end', () => {
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  };
  server = createServer({ keepAliveTimeout: 5_000 }, answer);
  await new Promise<void>((resolve, reject) => {
    server?.once('error', reject);
    server?.listen(0, '127.0.0.1', () => resolve());
  });
  (upstream as { port: number }).port = (server.address() as AddressInfo).port;
  return upstream;
}
