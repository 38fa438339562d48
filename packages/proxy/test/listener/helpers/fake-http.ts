// A tiny HttpConnectionHandler for listener tests: answers every request with JSON describing the connection
// (chain, protocol, TLS peer), so tests do not depend on the real HTTP connection manager.
import type { HttpConnectionManager } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { createServer as createHttp1, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { Duplex } from 'node:stream';
import type {
  DownstreamConnectionInfo,
  HttpConnectionHandler,
} from '../../../src/http/http-connection-handler.ts';

export interface FakeAnswer {
  readonly chain: string;
  readonly protocol: 'http1' | 'http2';
  readonly httpVersion: string;
  readonly tls: boolean;
  readonly serverName?: string;
  readonly peerPrincipal?: string;
}

export class FakeHttpHandler implements HttpConnectionHandler {
  readonly chainName: string;
  readonly hcm: HttpConnectionManager;
  readonly connections: { protocol: 'http1' | 'http2'; info: DownstreamConnectionInfo }[] = [];
  drained = false;
  closed = false;
  readonly #sessions = new Set<ServerHttp2Session>();
  readonly #h1 = new Set<ReturnType<typeof createHttp1>>();

  constructor(chainName: string, hcm: HttpConnectionManager) {
    this.chainName = chainName;
    this.hcm = hcm;
  }

  handleConnection(socket: Duplex, protocol: 'http1' | 'http2', info: DownstreamConnectionInfo): void {
    this.connections.push({ protocol, info });
    const answer = (version: string): string =>
      JSON.stringify({
        chain: this.chainName,
        protocol,
        httpVersion: version,
        tls: info.tls,
        serverName: info.serverName,
        peerPrincipal: info.peerPrincipal,
      } satisfies FakeAnswer);
    if (protocol === 'http2') {
      const server = createHttp2((req: Http2ServerRequest, res: Http2ServerResponse) =>
        res.end(answer(req.httpVersion)),
      );
      server.on('session', (session: ServerHttp2Session) => {
        this.#sessions.add(session);
        session.on('close', () => this.#sessions.delete(session));
        if (this.drained) session.close();
      });
      server.emit('connection', socket);
      return;
    }
    const server = createHttp1((req: IncomingMessage, res: ServerResponse) => {
      if (this.drained) res.setHeader('connection', 'close');
      res.end(answer(req.httpVersion));
    });
    this.#h1.add(server);
    socket.on('close', () => this.#h1.delete(server));
    server.emit('connection', socket);
  }

  drain(): void {
    this.drained = true;
    for (const session of this.#sessions) session.close();
    for (const server of this.#h1) server.closeIdleConnections();
  }

  close(): void {
    this.closed = true;
    for (const session of this.#sessions) session.destroy();
    for (const server of this.#h1) server.closeAllConnections();
  }
}

export class FakeHttp {
  readonly handlers: FakeHttpHandler[] = [];
  /** When set, createHttp answers with this error (to test NACKs). */
  failWith: string | undefined;

  readonly create = (
    hcm: HttpConnectionManager,
    chainName: string,
  ): HttpConnectionHandler | { error: string } => {
    if (this.failWith !== undefined) return { error: this.failWith };
    const handler = new FakeHttpHandler(chainName, hcm);
    this.handlers.push(handler);
    return handler;
  };

  handler(chainName: string): FakeHttpHandler | undefined {
    return this.handlers.findLast((h) => h.chainName === chainName);
  }
}
