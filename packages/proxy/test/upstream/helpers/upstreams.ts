// Real upstream servers on loopback (port 0): HTTP/1.1 and h2c, counting connections and requests, and
// answering with their own name unless a test gives a handler.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import {
  createServer as createH2Server,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';

export interface TestUpstream {
  readonly name: string;
  readonly port: number;
  /** Connections accepted so far. */
  connections: number;
  requests: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, upstream: TestUpstream) => void;

const respondWithName: Handler = (req, res, upstream) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('x-upstream', upstream.name);
    res.end(upstream.name);
  });
};

export async function startHttpUpstream(
  name: string,
  handler: Handler = respondWithName,
): Promise<TestUpstream> {
  const sockets = new Set<Socket>();
  const server: Server = createHttpServer();
  const upstream: TestUpstream = {
    name,
    port: 0,
    connections: 0,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    upstream.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    upstream.requests++;
    handler(req, res, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (upstream as { port: number }).port = (server.address() as AddressInfo).port;
  return upstream;
}

export async function startHttpUpstreams(count: number, handler?: Handler): Promise<TestUpstream[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startHttpUpstream(`u${i}`, handler)));
}

type H2Handler = (req: Http2ServerRequest, res: Http2ServerResponse, upstream: TestUpstream) => void;

export interface TestH2Upstream extends TestUpstream {
  readonly server: Http2Server;
}

export async function startH2Upstream(
  name: string,
  handler?: H2Handler,
  settings: { maxConcurrentStreams?: number } = {},
): Promise<TestH2Upstream> {
  const sockets = new Set<Socket>();
  const server = createH2Server({ settings });
  const upstream: TestH2Upstream = {
    name,
    port: 0,
    connections: 0,
    requests: 0,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    upstream.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => {
    upstream.requests++;
    if (handler) {
      handler(req, res, upstream);
      return;
    }
    req.resume();
    req.on('end', () => {
      res.setHeader('x-upstream', name);
      res.setHeader('x-protocol', req.httpVersion);
      res.end(`${name} ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (upstream as { port: number }).port = (server.address() as AddressInfo).port;
  return upstream;
}

export async function closeAll(upstreams: readonly TestUpstream[]): Promise<void> {
  await Promise.all(upstreams.map((u) => u.close()));
}
