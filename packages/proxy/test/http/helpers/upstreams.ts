// Real loopback upstream servers (HTTP/1.1 and h2c) that record what reached them and answer per test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createServer as createH2Server,
  type Http2Server,
  type ServerHttp2Stream,
  type IncomingHttpHeaders,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: readonly string[];
  readonly body: string;
  readonly upstream: string;
}

export type Http1Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Upstream {
  readonly name: string;
  readonly port: number;
  readonly received: Received[];
  handler: Http1Handler;
  close(): Promise<void>;
}

/** By default answers 200 with a JSON echo of the request. */
export const echo: Http1Handler = (req, res, body) => {
  const payload = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });
  res.writeHead(200, {
    'content-type': 'application/json',
    'x-upstream': req.socket.localPort?.toString() ?? '',
  });
  res.end(payload);
};

export async function startHttp1Upstream(name: string): Promise<Upstream> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const upstream: Upstream = {
    name,
    port: 0,
    received,
    handler: echo,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
        upstream: name,
      });
      upstream.handler(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (upstream as { port: number }).port = (server.address() as AddressInfo).port;
  return upstream;
}

export interface H2Upstream {
  readonly port: number;
  readonly received: { headers: IncomingHttpHeaders; body: string }[];
  handler: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: string) => void;
  close(): Promise<void>;
}

export async function startHttp2Upstream(): Promise<H2Upstream> {
  const received: H2Upstream['received'] = [];
  const server: Http2Server = createH2Server();
  const sockets = new Set<Socket>();
  const upstream: H2Upstream = {
    port: 0,
    received,
    handler: (stream, headers, body) => {
      stream.respond({ ':status': 200, 'content-type': 'application/json', 'x-upstream-protocol': 'h2' });
      stream.end(JSON.stringify({ path: headers[':path'], authority: headers[':authority'], body }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      received.push({ headers, body });
      upstream.handler(stream, headers, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (upstream as { port: number }).port = (server.address() as AddressInfo).port;
  return upstream;
}
