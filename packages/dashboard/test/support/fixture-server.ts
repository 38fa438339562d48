// A loopback HTTP server that plays the control plane for the dashboard tests: the built app under /dashboard/
// and the contract's JSON from fixtures.ts; any route can be switched to fail with a control-plane error body.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { FINDINGS, GRAPH, OVERVIEW, REGISTRY, RESOURCES, seriesFor, SYNCZ, TRACES } from './fixtures.ts';

export interface FixtureServer {
  readonly url: string;
  /** Paths with their query strings, in the order they were requested. */
  readonly requests: string[];
  /** Makes `path` answer `status` with `{code, message}` until `restore`. */
  fail(path: string, status: number, code: string): void;
  restore(path: string): void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const ROUTES: Readonly<Record<string, (query: URLSearchParams) => unknown>> = {
  '/apis/v1/dashboard/overview': (query) => ({
    ...OVERVIEW,
    traffic: {
      ...OVERVIEW.traffic,
      windowSeconds: Number(query.get('window') ?? OVERVIEW.traffic.windowSeconds),
    },
  }),
  '/apis/v1/dashboard/graph': (query) => ({ ...GRAPH, windowSeconds: Number(query.get('window') ?? 300) }),
  '/apis/v1/dashboard/series': (query) => seriesFor(query),
  '/apis/v1/dashboard/findings': () => FINDINGS,
  '/debug/syncz': () => SYNCZ,
  '/debug/registryz': () => REGISTRY,
  '/apis/v1/resources': () => RESOURCES,
  '/api/v2/traces': () => TRACES,
};

export async function startFixtureServer(distDir?: string): Promise<FixtureServer> {
  const failures = new Map<string, { status: number; code: string }>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    requests.push(`${url.pathname}${url.search}`);
    const failure = failures.get(url.pathname);
    if (failure) {
      json(res, failure.status, { code: failure.code, message: `fixture failure of ${url.pathname}` });
      return;
    }
    const route = ROUTES[url.pathname];
    if (route) {
      json(res, 200, route(url.searchParams));
      return;
    }
    if (distDir && url.pathname.startsWith('/dashboard/')) {
      await sendStatic(res, distDir, url.pathname.slice('/dashboard/'.length) || 'index.html');
      return;
    }
    json(res, 404, { code: 'HEDDLE_HTTP_NOT_FOUND', message: `no route ${url.pathname}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (path, status, code) => failures.set(path, { status, code }),
    restore: (path) => failures.delete(path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function sendStatic(res: ServerResponse, root: string, relative: string): Promise<void> {
  const path = normalize(join(root, relative));
  if (!path.startsWith(normalize(root + sep))) {
    json(res, 404, { code: 'HEDDLE_HTTP_NOT_FOUND', message: 'outside the dashboard' });
    return;
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    json(res, 404, { code: 'HEDDLE_HTTP_NOT_FOUND', message: `no file ${relative}` });
  }
}
