// The HTTP/1.1 codec: a Node server that never listens, fed connections by the listener. Strict parsing
// (no insecure parser), header size and count limits, and slow-client timeouts; parse errors answer 400/408/431
// and close the connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HcmOptions } from './hcm-options.ts';
import { CLOSING_SOCKETS } from './http1-stream.ts';
import type { HcmStats } from './hcm-stats.ts';

export interface Http1Handlers {
  readonly onRequest: (req: IncomingMessage, res: ServerResponse) => void;
  readonly onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** CONNECT requests, when the connection manager allows them (upgrade_configs CONNECT). */
  readonly onConnect?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

const ERROR_RESPONSES: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** How often Node checks for slow clients: a fraction of the shortest timeout, at most once a second. */
export function checkingIntervalMs(options: HcmOptions): number {
  const timeouts = [options.requestHeadersTimeoutMs, options.requestTimeoutMs].filter((t) => t > 0);
  if (timeouts.length === 0) return 30_000;
  return Math.max(25, Math.min(1000, Math.floor(Math.min(...timeouts) / 4)));
}

export function createHttp1Server(options: HcmOptions, stats: HcmStats, handlers: Http1Handlers): Server {
  const headersTimeout =
    options.requestTimeoutMs > 0 && options.requestHeadersTimeoutMs > options.requestTimeoutMs
      ? options.requestTimeoutMs
      : options.requestHeadersTimeoutMs;
  const server = createServer({
    insecureHTTPParser: false,
    maxHeaderSize: options.maxRequestHeadersBytes,
    requestTimeout: options.requestTimeoutMs,
    headersTimeout,
    connectionsCheckingInterval: checkingIntervalMs(options),
    keepAliveTimeout: Math.min(options.idleTimeoutMs, 2_147_483_647),
    requireHostHeader: true,
    joinDuplicateHeaders: false,
    noDelay: true,
    shouldUpgradeCallback: (req) => {
      const type = req.headers.upgrade?.toLowerCase();
      return type !== undefined && options.upgrades.has(type);
    },
  });
  // llhttp reports more headers than this as a header overflow (431), like oversized headers.
  server.maxHeadersCount = options.maxHeadersCount;
  // The slow-client checks start on 'listening'; this server never listens (the listener feeds it sockets).
  server.emit('listening');
  server.on('request', handlers.onRequest);
  server.on('upgrade', handlers.onUpgrade);
  // Without a listener Node closes a CONNECT's connection unanswered.
  if (handlers.onConnect && options.upgrades.has('connect')) server.on('connect', handlers.onConnect);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? '';
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') stats.rqHeaderTimeout.inc();
    else if (code === 'HPE_HEADER_OVERFLOW') stats.rqHeadersTooLarge.inc();
    else if (code !== 'ECONNRESET') stats.cxProtocolError.inc();
    if (CLOSING_SOCKETS.has(socket)) {
      // A refused request's answer is already on its way with `Connection: close`; nothing more is said.
      socket.end();
      return;
    }
    if (!socket.writable || code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = ERROR_RESPONSES[code] ?? '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  });
  return server;
}
